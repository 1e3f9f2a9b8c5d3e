package dev.tokencenter.compat;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.wechat.WechatApiProperties;
import dev.tokencenter.wechat.WecomApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Asks WeChat (or WeCom) whether a token still works, with a cheap call that uses it: {@code openapi/quota/get}
 * on WeChat, {@code get_api_domain_ip} on WeCom. Used before a suspected failure (see {@link RepeatedFetchDetector})
 * is reported to the refresh engine, so a false suspicion costs one probe instead of a refresh. Concurrent probes of
 * one token share one call, and a rejection is remembered for a few seconds (many callers notice a dead token at
 * once). Any answer other than a token error, and any failure to get an answer, counts as "not rejected".
 * Probes are budgeted per credential and instance ({@link #PROBE_BURST} at once, then one per
 * {@link #PROBE_REFILL}): a caller that does not cache tokens would otherwise cause one upstream call per fetch;
 * over budget a suspicion counts as "not rejected" and the caller gets the current token.
 */
@Component
class UpstreamTokenProbe {

    private static final Logger log = LoggerFactory.getLogger(UpstreamTokenProbe.class);
    private static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 41001, 42001);

    static final int PROBE_BURST = 3;
    static final Duration PROBE_REFILL = Duration.ofMinutes(1);

    private final PerClientRateLimiter probeBudget =
            new PerClientRateLimiter(PROBE_BURST, PROBE_REFILL.multipliedBy(PROBE_BURST));
    private final WebClient wechat;
    private final WebClient wecom;
    private final Duration timeout;
    private final AsyncCache<String, Boolean> recent = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(10))
            .buildAsync();

    UpstreamTokenProbe(WechatApiProperties wechatApi, WecomApiProperties wecomApi) {
        this.wechat = WebClient.builder().baseUrl(wechatApi.apiBaseUrl().toString()).build();
        this.wecom = WebClient.builder().baseUrl(wecomApi.apiBaseUrl().toString()).build();
        this.timeout = wechatApi.responseTimeout();
    }

    /** Whether the platform rejects the token as invalid or expired. */
    Mono<Boolean> rejected(CompatCredential credential, String token) {
        String key = credential.key() + "|" + token;
        if (recent.getIfPresent(key) == null && !probeBudget.tryAcquire(credential.key().toString()).isZero()) {
            return Mono.just(false);
        }
        CompletableFuture<Boolean> answer = recent.get(key, (k, executor) -> probe(credential.wecom(), token).toFuture());
        // only a rejection is worth remembering: a token that works now may be killed a second later
        answer.thenAccept(rejected -> {
            if (!rejected) {
                recent.synchronous().invalidate(key);
            }
        });
        return Mono.fromFuture(answer, true);
    }

    private Mono<Boolean> probe(boolean wecomPlatform, String token) {
        Mono<JsonNode> answer = wecomPlatform
                ? wecom.get().uri(uri -> uri.path("/cgi-bin/get_api_domain_ip").queryParam("access_token", token).build())
                        .retrieve().bodyToMono(JsonNode.class)
                : wechat.post().uri(uri -> uri.path("/cgi-bin/openapi/quota/get").queryParam("access_token", token).build())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("cgi_path", "/cgi-bin/stable_token"))
                        .retrieve().bodyToMono(JsonNode.class);
        return answer.timeout(timeout)
                .map(body -> TOKEN_ERRORS.contains(body.path("errcode").asInt(0)))
                .onErrorResume(error -> {
                    // not error.toString(): a WebClient error names the URI, which carries the token
                    log.warn("Could not check a {} token upstream: {}", wecomPlatform ? "WeCom" : "WeChat",
                            error.getClass().getSimpleName());
                    return Mono.just(false);
                })
                .defaultIfEmpty(false);
    }
}
