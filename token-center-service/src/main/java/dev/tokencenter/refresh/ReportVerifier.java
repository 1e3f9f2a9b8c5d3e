package dev.tokencenter.refresh;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokencenter.crypto.Fingerprints;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.wechat.TokenCheck;
import dev.tokencenter.wechat.TokenEndpoint;
import dev.tokencenter.wechat.WechatTokenChecker;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks with WeChat whether a reported token really fails before anything is refreshed: a client's report is a hint,
 * and any granted client holds the current token. Concurrent reports of one token share one check; a rejection is
 * remembered for a few seconds (many callers notice a dead token at once). Checks are budgeted per upstream
 * credential and instance ({@link #BURST} at once, then one per {@link #REFILL}); over budget a report is
 * {@link TokenCheck#UNKNOWN}, so a client that reports in a loop costs at most that many calls.
 */
@Component
class ReportVerifier {

    static final int BURST = 3;
    static final Duration REFILL = Duration.ofMinutes(1);

    private final WechatTokenChecker checker;
    private final PerClientRateLimiter budget = new PerClientRateLimiter(BURST, REFILL.multipliedBy(BURST));
    private final ConcurrentHashMap<String, CompletableFuture<TokenCheck>> inFlight = new ConcurrentHashMap<>();
    private final Cache<String, TokenCheck> rejected = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(10))
            .build();

    ReportVerifier(WechatTokenChecker checker) {
        this.checker = checker;
    }

    /**
     * Whether {@link #verify} would ask WeChat or answer from a rejection it remembers, rather than answer
     * {@link TokenCheck#UNKNOWN} at once because the check budget is spent; changes nothing.
     */
    boolean wouldCheck(long upstreamId, String token) {
        String key = upstreamId + "|" + Fingerprints.of(token);
        return rejected.getIfPresent(key) != null || inFlight.containsKey(key)
                || budget.wouldGrant(Long.toString(upstreamId));
    }

    /** Blocking, bounded by the checker's timeout: call it from a refresh worker. */
    TokenCheck verify(long upstreamId, TokenEndpoint endpoint, String token) {
        String key = upstreamId + "|" + Fingerprints.of(token);
        if (rejected.getIfPresent(key) != null) {
            return TokenCheck.REJECTED;
        }
        CompletableFuture<TokenCheck> mine = new CompletableFuture<>();
        CompletableFuture<TokenCheck> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            TokenCheck answer = budget.tryAcquire(Long.toString(upstreamId)).isZero()
                    ? checker.check(endpoint, token).block(checker.timeout().plusSeconds(1))
                    : TokenCheck.UNKNOWN;
            if (answer == null) {
                answer = TokenCheck.UNKNOWN;
            }
            if (answer == TokenCheck.REJECTED) {
                rejected.put(key, answer);
            }
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.complete(TokenCheck.UNKNOWN);
            return TokenCheck.UNKNOWN;
        } finally {
            inFlight.remove(key, mine);
        }
    }
}
