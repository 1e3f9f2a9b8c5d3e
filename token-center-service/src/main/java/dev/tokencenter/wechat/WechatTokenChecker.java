package dev.tokencenter.wechat;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Asks WeChat whether a token still works with a cheap call that uses it: {@code openapi/quota/get} on WeChat,
 * {@code get_api_domain_ip} on WeCom. Bounded by the response timeout; never logs (the URL carries the token) and
 * never copies an error's text anywhere.
 */
public class WechatTokenChecker {

    private static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 41001, 42001);
    /** Errors that say the call itself was refused for reasons unrelated to the token. */
    private static final Set<Integer> INCONCLUSIVE = Set.of(-1, 45009, 45011);

    private final WebClient wechat;
    private final WebClient wecom;
    private final Duration timeout;

    private final UpstreamCallMeter meter;

    public WechatTokenChecker(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls) {
        this(wechatApi, wecomApi, tls, UpstreamCallMeter.unread());
    }

    public WechatTokenChecker(WechatApiProperties wechatApi, WecomApiProperties wecomApi, UpstreamTls tls,
                              UpstreamCallMeter meter) {
        this.meter = meter;
        ReactorClientHttpConnector connector = new ReactorClientHttpConnector(tls.applyTo(HttpClient.create()));
        this.wechat = WebClient.builder().clientConnector(connector).baseUrl(wechatApi.apiBaseUrl().toString()).build();
        this.wecom = WebClient.builder().clientConnector(connector).baseUrl(wecomApi.apiBaseUrl().toString()).build();
        this.timeout = wechatApi.connectTimeout().plus(wechatApi.responseTimeout());
    }

    /** The longest a check takes before it answers {@link TokenCheck#UNKNOWN}. */
    public Duration timeout() {
        return timeout;
    }

    public Mono<TokenCheck> check(TokenEndpoint endpoint, String token) {
        String path = endpoint == TokenEndpoint.WECOM ? "/cgi-bin/get_api_domain_ip" : "/cgi-bin/openapi/quota/get";
        Mono<JsonNode> answer = endpoint == TokenEndpoint.WECOM
                ? wecom.get().uri(uri -> uri.path("/cgi-bin/get_api_domain_ip").queryParam("access_token", "{token}")
                        .build(Map.of("token", token)))
                        .retrieve().bodyToMono(JsonNode.class)
                : wechat.post().uri(uri -> uri.path("/cgi-bin/openapi/quota/get").queryParam("access_token", "{token}")
                                .build(Map.of("token", token)))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("cgi_path", endpoint.path()))
                        .retrieve().bodyToMono(JsonNode.class);
        return answer.timeout(timeout)
                .doOnError(error -> meter.count(path, UpstreamCallMeter.outcome(error)))
                .map(body -> {
                    int errcode = body.path("errcode").asInt(0);
                    meter.count(path, Integer.toString(errcode));
                    if (TOKEN_ERRORS.contains(errcode)) {
                        return TokenCheck.REJECTED;
                    }
                    return INCONCLUSIVE.contains(errcode) ? TokenCheck.UNKNOWN : TokenCheck.VALID;
                })
                .onErrorResume(error -> Mono.just(TokenCheck.UNKNOWN))
                .defaultIfEmpty(TokenCheck.UNKNOWN);
    }
}
