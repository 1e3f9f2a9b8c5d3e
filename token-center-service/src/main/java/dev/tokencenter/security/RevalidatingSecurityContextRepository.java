package dev.tokencenter.security;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Session logins, checked against the admin_user table on every request: a deleted or disabled user loses the
 * session at once, and a changed role applies at once, instead of when the session expires.
 */
final class RevalidatingSecurityContextRepository implements ServerSecurityContextRepository {

    private final WebSessionServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();
    private final ReactiveUserDetailsService users;

    RevalidatingSecurityContextRepository(ReactiveUserDetailsService users) {
        this.users = users;
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return sessions.save(exchange, context);
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return sessions.load(exchange)
                .filter(context -> context.getAuthentication() != null)
                .flatMap(context -> users.findByUsername(context.getAuthentication().getName()))
                .filter(user -> user.isEnabled() && user.isAccountNonLocked())
                .map(user -> new SecurityContextImpl(
                        UsernamePasswordAuthenticationToken.authenticated(user.getUsername(), null, user.getAuthorities())));
    }
}
