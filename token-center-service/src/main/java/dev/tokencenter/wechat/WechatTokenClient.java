package dev.tokencenter.wechat;

import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Calls WeChat's and WeCom's token endpoints over Reactor Netty with bounded connect and response timeouts, plus a
 * hard deadline over the whole exchange. Never logs: the GET calls carry the secret in the query string, so neither
 * URLs nor causes are copied into the exceptions it raises.
 */
public class WechatTokenClient implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final WebClient wechat;
    private final WebClient wecom;
    private final Duration deadline;
    private final ConnectionProvider connections;
    /**
     * Event loops of its own, not the shared ones the web server's shutdown disposes: a call in flight while the
     * service stops still gets its answer (the refresh engine waits for it, bounded, and stores the token).
     */
    private final LoopResources loops = LoopResources.create("wechat-token-client", 2, true);

    public WechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this.connections = ConnectionProvider.builder("wechat-token")
                .maxConnections(64)
                .pendingAcquireTimeout(wechatApi.connectTimeout().plus(wechatApi.responseTimeout()))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = tls.applyTo(HttpClient.create(connections)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wechatApi.connectTimeout().toMillis())
                .responseTimeout(wechatApi.responseTimeout()));
        ReactorClientHttpConnector connector = new ReactorClientHttpConnector(http);
        this.wechat = webClient(connector, wechatApi.apiBaseUrl());
        this.wecom = webClient(connector, wecomApi.apiBaseUrl());
        this.deadline = wechatApi.connectTimeout().plus(wechatApi.responseTimeout()).plusMillis(500);
    }

    private static WebClient webClient(ReactorClientHttpConnector connector, URI baseUrl) {
        return WebClient.builder().clientConnector(connector).baseUrl(baseUrl.toString()).build();
    }

    /** The longest one call can take before it fails with {@link UpstreamTimeoutException}. */
    public Duration deadline() {
        return deadline;
    }

    /** One token call: a token, or an {@link UpstreamCallException} describing why not. */
    public Mono<UpstreamToken> fetch(UpstreamTokenRequest request) {
        TokenEndpoint endpoint = request.endpoint();
        WebClient.RequestHeadersSpec<?> call = switch (endpoint) {
            case CLASSIC -> wechat.get().uri(uri -> uri.path(endpoint.path())
                    .queryParam("grant_type", "client_credential")
                    .queryParam("appid", "{appid}")
                    .queryParam("secret", "{secret}")
                    .build(Map.of("appid", request.appid(), "secret", request.secret())));
            case STABLE -> wechat.post().uri(endpoint.path())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(stableBody(request));
            case WECOM -> wecom.get().uri(uri -> uri.path(endpoint.path())
                    .queryParam("corpid", "{corpid}")
                    .queryParam("corpsecret", "{corpsecret}")
                    .build(Map.of("corpid", request.appid(), "corpsecret", request.secret())));
        };
        return call.accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> interpret(endpoint, response))
                .timeout(deadline)
                .onErrorMap(error -> !(error instanceof UpstreamCallException), error -> translate(endpoint, error));
    }

    /** Bytes, not a String: byte codecs log sizes only, whatever the log level (the body holds the secret). */
    private static byte[] stableBody(UpstreamTokenRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "client_credential");
        body.put("appid", request.appid());
        body.put("secret", request.secret());
        body.put("force_refresh", request.forceRefresh());
        return JSON.writeValueAsBytes(body);
    }

    private static Mono<UpstreamToken> interpret(TokenEndpoint endpoint, ClientResponse response) {
        int status = response.statusCode().value();
        if (status >= 400) {
            return response.releaseBody().then(Mono.error(new UpstreamHttpException(endpoint, status)));
        }
        // bytes again: a String decoder would log the answer, token included, at DEBUG
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> parse(endpoint, body));
    }

    static UpstreamToken parse(TokenEndpoint endpoint, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            throw new UpstreamTransportException(endpoint, "the answer is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new UpstreamTransportException(endpoint, "the answer is not a JSON object");
        }
        int errcode = json.path("errcode").asInt(0);
        if (errcode != 0) {
            throw new WechatErrorException(endpoint, errcode, json.path("errmsg").asString(""));
        }
        String token = json.path("access_token").asString("");
        long expiresIn = json.path("expires_in").asLong(0);
        if (token.isEmpty() || expiresIn <= 0) {
            throw new UpstreamTransportException(endpoint, "the answer holds no access_token/expires_in");
        }
        return new UpstreamToken(token, Duration.ofSeconds(expiresIn));
    }

    /** A failure of the exchange as an exception that never carries the URL (shared with {@link WechatTicketClient}). */
    static UpstreamCallException translate(UpstreamEndpoint endpoint, Throwable error) {
        boolean tls = false;
        Throwable root = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
                return new UpstreamTimeoutException(endpoint, "no answer in time");
            }
            if (cause instanceof ConnectTimeoutException) {
                return new UpstreamTimeoutException(endpoint, "could not connect in time");
            }
            if (cause instanceof UpstreamCallException upstream) {
                return upstream;
            }
            tls |= cause instanceof SSLException;
            root = cause;
        }
        // the class name only: messages of transport errors may carry the request URL, and with it the secret
        String what = root.getClass().getSimpleName();
        return new UpstreamTransportException(endpoint, tls ? "TLS handshake failed (" + what + ")" : what);
    }

    @Override
    public void close() {
        connections.dispose();
        loops.dispose();
    }
}
