package dev.tokencenter.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Set;

/**
 * Which unsafe admin requests need the CSRF token: all of them, session requests always, login and logout always,
 * except two kinds that no browser can send on a user's behalf:
 * <ul>
 *     <li>HTTP Basic requests from non-browser clients: an {@code Authorization: Basic} header and no sign of a browser
 *     ({@code Origin}, or {@code Sec-Fetch-Site} other than {@code none}). The service never sends a Basic challenge,
 *     so browsers hold no Basic credentials to replay; a browser that did would still send those headers.</li>
 *     <li>requests with no cookie and no Authorization header at all: nothing to ride on; they get a plain 401.</li>
 * </ul>
 * Cross-site requests are refused before this, whatever they carry ({@link CrossSiteRequestFilter}).
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
        if (basicFromNonBrowserClient(request) || noAmbientCredentials(request)) {
            return MatchResult.notMatch();
        }
        return MatchResult.match();
    }

    private static boolean noAmbientCredentials(ServerHttpRequest request) {
        return !request.getHeaders().containsHeader(HttpHeaders.COOKIE)
                && !request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
    }

    private static boolean basicFromNonBrowserClient(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String site = request.getHeaders().getFirst("Sec-Fetch-Site");
        return request.getHeaders().getOrigin() == null && (site == null || site.equals("none"));
    }
}
