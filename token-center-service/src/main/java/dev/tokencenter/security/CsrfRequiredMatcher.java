package dev.tokencenter.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * CSRF protection for every unsafe request that a browser could send on a user's behalf. Exempt are requests that
 * carry their own HTTP Basic credentials and do not come from another site (a browser cannot add an Authorization
 * header to a cross-site request, and one that replays cached Basic credentials marks the request with
 * {@code Sec-Fetch-Site: cross-site} or {@code same-site}), and requests with no cookie and no Authorization at all,
 * which have nothing to ride on and get a plain 401. Login and logout always need the token (no login CSRF).
 */
final class CsrfRequiredMatcher implements ServerWebExchangeMatcher {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final Set<String> loginOrLogout;

    CsrfRequiredMatcher(String loginPath, String logoutPath) {
        this.loginOrLogout = Set.of(loginPath, logoutPath);
    }

    @Override
    public Mono<MatchResult> matches(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        if (SAFE.contains(request.getMethod())) {
            return MatchResult.notMatch();
        }
        String path = request.getPath().pathWithinApplication().value();
        if (loginOrLogout.contains(path)) {
            return MatchResult.match();
        }
        if (ownBasicCredentials(request) || noAmbientCredentials(request)) {
            return MatchResult.notMatch();
        }
        return MatchResult.match();
    }

    private static boolean noAmbientCredentials(ServerHttpRequest request) {
        return !request.getHeaders().containsHeader(HttpHeaders.COOKIE)
                && !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
    }

    private static boolean ownBasicCredentials(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String site = request.getHeaders().getFirst("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }
}
