package dev.tokencenter.wechat;

import io.netty.channel.ChannelOption;
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

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls the JS-SDK ticket endpoints ({@link TicketEndpoint}) with an access token, bounded like
 * {@link WechatTokenClient} (connect and response timeouts plus a hard deadline). Never logs: the token is in the
 * query string, so neither URLs nor causes are copied into the exceptions it raises, and bodies are read as bytes.
 */
public class WechatTicketClient implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final WebClient wechat;
    private final WebClient wecom;
    private final Duration deadline;
    private final ConnectionProvider connections;
    private final LoopResources loops = LoopResources.create("wechat-ticket-client", 1, true);

    public WechatTicketClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this.connections = ConnectionProvider.builder("wechat-ticket")
                .maxConnections(32)
                .pendingAcquireTimeout(wechatApi.connectTimeout().plus(wechatApi.responseTimeout()))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = tls.applyTo(HttpClient.create(connections)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wechatApi.connectTimeout().toMillis())
                .responseTimeout(wechatApi.responseTimeout()));
        ReactorClientHttpConnector connector = new ReactorClientHttpConnector(http);
        this.wechat = WebClient.builder().clientConnector(connector).baseUrl(wechatApi.apiBaseUrl().toString()).build();
        this.wecom = WebClient.builder().clientConnector(connector).baseUrl(wecomApi.apiBaseUrl().toString()).build();
        this.deadline = wechatApi.connectTimeout().plus(wechatApi.responseTimeout()).plusMillis(500);
    }

    /** The longest one call can take before it fails with {@link UpstreamTimeoutException}. */
    public Duration deadline() {
        return deadline;
    }

    /** One ticket call with {@code accessToken}: a ticket, or an {@link UpstreamCallException} describing why not. */
    public Mono<UpstreamTicket> fetch(TicketEndpoint endpoint, String accessToken) {
        WebClient client = endpoint.wecom() ? wecom : wechat;
        Map<String, String> variables = new HashMap<>();
        variables.put("token", accessToken);
        return client.get().uri(uri -> {
                    uri.path(endpoint.path()).queryParam("access_token", "{token}");
                    if (endpoint.type() != null) {
                        uri.queryParam("type", endpoint.type());
                    }
                    return uri.build(variables);
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> interpret(endpoint, response))
                .timeout(deadline)
                .onErrorMap(error -> !(error instanceof UpstreamCallException),
                        error -> WechatTokenClient.translate(endpoint, error));
    }

    private static Mono<UpstreamTicket> interpret(TicketEndpoint endpoint, ClientResponse response) {
        int status = response.statusCode().value();
        if (status >= 400) {
            return response.releaseBody().then(Mono.error(new UpstreamHttpException(endpoint, status)));
        }
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> parse(endpoint, body));
    }

    static UpstreamTicket parse(TicketEndpoint endpoint, byte[] body) {
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
        String ticket = json.path("ticket").asString("");
        long expiresIn = json.path("expires_in").asLong(0);
        if (ticket.isEmpty() || expiresIn <= 0) {
            throw new UpstreamTransportException(endpoint, "the answer holds no ticket/expires_in");
        }
        return new UpstreamTicket(ticket, Duration.ofSeconds(expiresIn));
    }

    @Override
    public void close() {
        connections.dispose();
        loops.dispose();
    }
}
