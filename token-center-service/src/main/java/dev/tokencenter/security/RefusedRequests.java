package dev.tokencenter.security;

import dev.tokencenter.audit.RefusalAudit;
import dev.tokencenter.audit.RefusedRequest;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * Answers a refused admin request with its problem detail (through the {@link ProblemWriter}) and hands it to
 * the audit of refusals with the username it named or was authenticated as: the attempted login's username, else the
 * principal, else the user part of a Basic header. The password part of a Basic header is never kept.
 */
final class RefusedRequests {

    private final ProblemWriter problems;
    private final RefusalAudit audit;
    private final ClientAddressResolver addresses;

    RefusedRequests(ProblemWriter problems, RefusalAudit audit, ClientAddressResolver addresses) {
        this.problems = problems;
        this.audit = audit;
        this.addresses = addresses;
    }

    Mono<Void> refuse(ServerWebExchange exchange, Problem problem) {
        return refuse(exchange, problem, problem.type().slug());
    }

    /** As {@link #refuse(ServerWebExchange, Problem)}, audited with its own reason. */
    Mono<Void> refuse(ServerWebExchange exchange, Problem problem, String reason) {
        return username(exchange).map(String::valueOf).defaultIfEmpty("").flatMap(username -> {
            ServerHttpRequest request = exchange.getRequest();
            audit.record(new RefusedRequest(username.isEmpty() ? null : username, addresses.resolve(request),
                    request.getMethod().name(), request.getPath().value(), problem.type().status().value(), reason));
            return problems.write(exchange, problem);
        });
    }

    private static Mono<String> username(ServerWebExchange exchange) {
        String attempted = exchange.getAttribute(AdminLoginAuthenticationManager.ATTEMPTED_USERNAME);
        if (attempted != null) {
            return Mono.just(attempted);
        }
        return exchange.getPrincipal().map(Principal::getName)
                .switchIfEmpty(Mono.fromSupplier(() -> basicUsername(exchange.getRequest())))
                .onErrorResume(e -> Mono.empty());
    }

    private static String basicUsername(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
