package dev.tokencenter.security;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the CSRF token from the {@code X-XSRF-TOKEN} header only, never from a form field: another page can post a
 * form, but it cannot add a header to a cross-origin request (we allow no CORS), so a token planted in a cookie by a
 * sibling subdomain cannot be replayed in a form post.
 */
final class HeaderOnlyCsrfTokenRequestHandler extends ServerCsrfTokenRequestAttributeHandler {

    @Override
    public Mono<String> resolveCsrfTokenValue(ServerWebExchange exchange, CsrfToken csrfToken) {
        return Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(csrfToken.getHeaderName()));
    }
}
