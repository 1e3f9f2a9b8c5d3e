package dev.tokencenter.client;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Reads {@code Authorization: Bearer <client key>}; no header means no authentication attempt (then a 401). */
public class BearerKeyConverter implements ServerAuthenticationConverter {

    private static final String BEARER = "Bearer ";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Mono.empty();
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Mono.error(() -> new InvalidClientKeyException("the Authorization header does not carry a Bearer key"));
        }
        return Mono.just(ClientKeyAuthentication.unverified(header.substring(BEARER.length()).trim()));
    }
}
