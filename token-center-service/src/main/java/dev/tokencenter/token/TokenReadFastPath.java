package dev.tokencenter.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.registry.CredentialKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers {@code GET /v1/tokens/{tenant}/{app}/{env}} when all it needs is already in memory: a client key this
 * instance has verified before (the same constant-time check as the security chain), a grant covering the credential,
 * and a usable token in the near cache. Every other request, including any that would not get a 200 (missing,
 * unknown or revoked key, grant miss, unknown credential, cold cache), is declined and goes to the Spring Security
 * chain and the routed {@link TokenHandler}, which answer it. So it only ever answers a request that the full chain
 * would also answer with the same token. Called by the event-loop route ahead of WebFlux; why it exists: on the hot
 * path, WebFlux, the security filter chain and handler dispatch cost several times the token lookup itself (see
 * docs/benchmarks.md).
 */
@Component
public class TokenReadFastPath {

    private static final String PREFIX = "/v1/tokens/";
    private static final String BEARER = "Bearer ";
    private static final String MAX_AGE = "private, max-age=";

    private final ApiClientDirectory clients;
    private final CachedTokenSource tokens;
    private final TokenReadCounter reads;
    private final long maxCacheAgeSeconds;
    private final Clock clock;
    /** {@code Cache-Control} values by max-age, made once: the read path then allocates no header text. */
    private final String[] cacheControls;
    private final LongAdder answered = new LongAdder();
    /**
     * The last body written for each token, by the token's identity and held weakly (so no token outlives the near
     * cache's copy): within one second every read of a credential gets the same bytes, so it is made once a second.
     */
    private final Cache<String, Body> bodies = Caffeine.newBuilder().executor(Runnable::run)
            .weakKeys().maximumSize(100_000).build();

    TokenReadFastPath(ApiClientDirectory clients, CachedTokenSource tokens, TokenReadCounter reads,
                      TokenApiProperties properties, ObjectProvider<Clock> clock) {
        this.clients = clients;
        this.tokens = tokens;
        this.reads = reads;
        this.maxCacheAgeSeconds = properties.maxCacheAge().toSeconds();
        this.clock = clock.getIfUnique(Clock::systemUTC);
        this.cacheControls = new String[(int) Math.max(0, Math.min(maxCacheAgeSeconds, 3600)) + 1];
        for (int age = 0; age < cacheControls.length; age++) {
            cacheControls[age] = MAX_AGE + age;
        }
    }

    /**
     * The answer to a {@code GET} of {@code path} (the request target's path, without the query) with this
     * {@code Authorization} header, with the read counted; null when the full chain must answer. Never blocks.
     */
    public FastPathAnswer answer(String path, String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return null;
        }
        CredentialKey credential = credentialOf(path);
        if (credential == null) {
            return null;
        }
        ClientPrincipal client = clients.verifiedFromMemory(authorization.substring(BEARER.length()));
        if (client == null || !client.mayRead(credential.tenant(), credential.app(), credential.env())) {
            return null;
        }
        IssuedToken token = tokens.usableFromMemory(credential);
        if (token == null) {
            return null;
        }
        reads.record(client.id(), credential);
        answered.increment();
        Instant now = clock.instant();
        long maxAge = TokenReply.maxAge(token, now, maxCacheAgeSeconds);
        String cacheControl = maxAge >= 0 && maxAge < cacheControls.length ? cacheControls[(int) maxAge] : MAX_AGE + maxAge;
        return new FastPathAnswer(cacheControl, body(token, TokenJson.secondsUntil(token.expiresAt(), now)));
    }

    private byte[] body(IssuedToken token, long expiresIn) {
        Body last = bodies.getIfPresent(token.accessToken());
        if (last != null && last.expiresIn() == expiresIn && last.credential().equals(token.credential())
                && last.appid().equals(token.appid()) && last.expiresAt().equals(token.expiresAt())) {
            return last.bytes();
        }
        byte[] bytes = TokenJson.token(token, expiresIn);
        bodies.put(token.accessToken(), new Body(token.credential(), token.appid(), token.expiresAt(), expiresIn, bytes));
        return bytes;
    }

    /** How many reads were answered here since start: the fast path's own count, for tests. */
    public long answered() {
        return answered.sum();
    }

    /** Everything a body is made of but the token itself, which would keep its weak key alive. */
    private record Body(CredentialKey credential, String appid, Instant expiresAt, long expiresIn, byte[] bytes) {
    }

    /** tenant/app/env from {@code /v1/tokens/t/a/e}; null for anything else (including any unusual character). */
    static CredentialKey credentialOf(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        int tenantEnd = path.indexOf('/', PREFIX.length());
        int appEnd = tenantEnd < 0 ? -1 : path.indexOf('/', tenantEnd + 1);
        if (appEnd < 0 || path.indexOf('/', appEnd + 1) >= 0) {
            return null;
        }
        String tenant = path.substring(PREFIX.length(), tenantEnd);
        String app = path.substring(tenantEnd + 1, appEnd);
        String env = path.substring(appEnd + 1);
        return isSlug(tenant) && isSlug(app) && isSlug(env) ? new CredentialKey(tenant, app, env) : null;
    }

    private static boolean isSlug(String value) {
        if (value.isEmpty() || value.length() > 63 || value.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
