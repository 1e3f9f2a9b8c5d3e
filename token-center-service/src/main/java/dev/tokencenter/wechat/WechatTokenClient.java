package dev.tokencenter.wechat;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls WeChat's and WeCom's token endpoints over Reactor Netty with bounded connect and response timeouts, plus a
 * hard deadline over the whole exchange. Never logs: the GET calls carry the secret in the query string, so neither
 * URLs nor causes are copied into the exceptions it raises.
 */
public class WechatTokenClient implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Two event loops of its own: the refresh engine waits for a call in flight at shutdown and stores its token. */
    private final UpstreamHttp http;
    private final URI wechat;
    private final URI wecom;
    private final UpstreamCallMeter meter;

    public WechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this(wechatApi, wecomApi, tls, UpstreamCallMeter.unread());
    }

    public WechatTokenClient(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                             UpstreamCallMeter meter) {
        this.meter = meter;
        this.http = new UpstreamHttp("wechat-token", 64, 2, wechatApi, tls);
        this.wechat = wechatApi.apiBaseUrl();
        this.wecom = wecomApi.apiBaseUrl();
    }

    /** The longest one call can take before it fails with {@link UpstreamTimeoutException}. */
    public Duration deadline() {
        return http.deadline();
    }

    /** One token call: a token, or an {@link UpstreamCallException} describing why not. */
    public Mono<UpstreamToken> fetch(UpstreamTokenRequest request) {
        TokenEndpoint endpoint = request.endpoint();
        Mono<UpstreamHttp.Answer> call = switch (endpoint) {
            case CLASSIC -> http.get(wechat, endpoint.path(), "grant_type", "client_credential",
                    "appid", request.appid(), "secret", request.secret());
            case STABLE -> http.postJson(wechat, endpoint.path(), stableBody(request));
            case WECOM -> http.get(wecom, endpoint.path(), "corpid", request.appid(), "corpsecret", request.secret());
        };
        return meter.counted(endpoint.path(), http.read(endpoint, call, json -> token(endpoint, json)));
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

    static UpstreamToken parse(TokenEndpoint endpoint, byte[] body) {
        return token(endpoint, UpstreamAnswers.successfulAnswer(endpoint, body));
    }

    private static UpstreamToken token(TokenEndpoint endpoint, JsonNode json) {
        String token = json.path("access_token").asString("");
        long expiresIn = json.path("expires_in").asLong(0);
        if (token.isEmpty() || expiresIn <= 0) {
            throw new UpstreamTransportException(endpoint, "the answer holds no access_token/expires_in");
        }
        return new UpstreamToken(token, Duration.ofSeconds(expiresIn));
    }

    @Override
    public void close() {
        http.close();
    }
}
