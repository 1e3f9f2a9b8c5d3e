package dev.tokencenter.security;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Session logins, checked against the admin_user table on every request: a deleted or disabled user loses the
 * session at once, and a changed role applies at once, instead of when the session expires. The session holds only
 * the username (sessions are shared through Redis and never deserialize objects); a login issues a new session id,
 * a logout deletes the session on every instance.
 */
final class RevalidatingSecurityContextRepository implements ServerSecurityContextRepository {

    static final String USERNAME = "token-center.admin-username";

    private final ReactiveUserDetailsService users;

    RevalidatingSecurityContextRepository(ReactiveUserDetailsService users) {
        this.users = users;
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return exchange.getSession().flatMap(session -> {
            if (context == null || context.getAuthentication() == null) {
                return session.invalidate();
            }
            session.getAttributes().put(USERNAME, context.getAuthentication().getName());
            // saved here, inside the filter chain, rather than while the response commits (see RedisWebSessionStore)
            return session.changeSessionId().then(session.save());
        });
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return exchange.getSession()
                .map(WebSession::getAttributes)
                .mapNotNull(attributes -> attributes.get(USERNAME) instanceof String name ? name : null)
                .flatMap(users::findByUsername)
                .filter(user -> user.isEnabled() && user.isAccountNonLocked())
                .map(user -> new SecurityContextImpl(
                        UsernamePasswordAuthenticationToken.authenticated(user.getUsername(), null, user.getAuthorities())));
    }
}
