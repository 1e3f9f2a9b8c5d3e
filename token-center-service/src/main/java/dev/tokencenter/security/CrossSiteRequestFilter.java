package dev.tokencenter.security;

import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.Set;

/**
 * Refuses (403) every unsafe admin request that a browser marks as coming from another site, whatever credentials or
 * token it carries: {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none}, or, from a browser that does
 * not send {@code Sec-Fetch-Site}, an {@code Origin} that is not the request's own.
 */
final class CrossSiteRequestFilter implements WebFilter {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final RefusedRequests refusals;

    CrossSiteRequestFilter(RefusedRequests refusals) {
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (SAFE.contains(request.getMethod()) || !crossSite(request)) {
            return chain.filter(exchange);
        }
        return refusals.refuse(exchange, Problem.of(ProblemType.CROSS_SITE_REQUEST,
                "The admin API accepts no changes from other sites."));
    }

    static boolean crossSite(ServerHttpRequest request) {
        String site = request.getHeaders().getFirst("Sec-Fetch-Site");
        if (site != null) {
            return !site.equals("same-origin") && !site.equals("none");
        }
        String origin = request.getHeaders().getOrigin();
        return origin != null && !sameOrigin(origin, request.getURI());
    }

    private static boolean sameOrigin(String origin, URI self) {
        try {
            URI parsed = URI.create(origin);
            return parsed.getScheme() != null && parsed.getHost() != null
                    && parsed.getScheme().equalsIgnoreCase(self.getScheme())
                    && parsed.getHost().equalsIgnoreCase(self.getHost())
                    && port(parsed) == port(self);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
