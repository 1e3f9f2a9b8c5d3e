package dev.tokencenter.token;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.registry.CredentialKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Clock;

/**
 * Answers {@code GET /v1/tokens/{tenant}/{app}/{env}} ahead of the filter chain when all it needs is already in
 * memory: a client key this instance has verified before (the same constant-time check as the security chain), a
 * grant covering the credential, and a usable token in the near cache. Every other request, including any that
 * would not get a 200 (missing, unknown or revoked key, grant miss, unknown credential, cold cache), passes through
 * untouched to the Spring Security chain and the routed {@link TokenHandler}, which answer it. So this filter
 * only ever answers a request that the full chain would also answer with the same token.
 * Why it exists: on the hot path, the security filter chain and handler dispatch cost several times the token
 * lookup itself (see docs/benchmarks.md).
 */
@Component
class TokenReadFastPath implements WebFilter, Ordered {

    private static final String PREFIX = "/v1/tokens/";
    private static final String BEARER = "Bearer ";

    private final ApiClientDirectory clients;
    private final CachedTokenSource tokens;
    private final TokenReadCounter reads;
    private final long maxCacheAgeSeconds;
    private final Clock clock;
    private final ApplicationContext application;

    TokenReadFastPath(ApiClientDirectory clients, CachedTokenSource tokens, TokenReadCounter reads,
                      TokenApiProperties properties, ObjectProvider<Clock> clock, ApplicationContext application) {
        this.application = application;
        this.clients = clients;
        this.tokens = tokens;
        this.reads = reads;
        this.maxCacheAgeSeconds = properties.maxCacheAge().toSeconds();
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    /** Right after the request meter (which times every token API request, this filter's answers included). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        // web filters also run on the management server (its own context): the token API is not served there
        if (request.getMethod() != HttpMethod.GET || !servedHere(exchange)) {
            return chain.filter(exchange);
        }
        CredentialKey credential = credentialOf(request.getPath().pathWithinApplication().value());
        String authorization = credential == null ? null : request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return chain.filter(exchange);
        }
        ClientPrincipal client = clients.verifiedFromMemory(authorization.substring(BEARER.length()));
        if (client == null || !client.mayRead(credential.tenant(), credential.app(), credential.env())) {
            return chain.filter(exchange);
        }
        IssuedToken token = tokens.usableFromMemory(credential);
        if (token == null) {
            return chain.filter(exchange);
        }
        reads.record(client.id(), credential);
        TokenReply reply = TokenReply.of(token, clock.instant(), maxCacheAgeSeconds);
        return FastPathAnswer.write(exchange.getResponse(), reply.cacheControl(), reply.body());
    }

    /** False on another server's context (the management server's): a test's mock exchange has none. */
    private boolean servedHere(ServerWebExchange exchange) {
        ApplicationContext context = exchange.getApplicationContext();
        return context == null || context == application;
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
