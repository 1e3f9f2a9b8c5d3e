package dev.tokencenter.refresh;

import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * A stand-in for the admin security chain in this package's test instances only (registered explicitly, never
 * scanned): HTTP Basic with fixed users, GET for VIEWER and above, anything else for OPERATOR and above.
 */
public class AdminTestSecurity {

    static final String OPERATOR = "operator";
    static final String VIEWER = "viewer";
    static final String PASSWORD = "test-password";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain refreshTestAdminChain(ServerHttpSecurity http) {
        MapReactiveUserDetailsService users = new MapReactiveUserDetailsService(
                User.withUsername(OPERATOR).password("{noop}" + PASSWORD).roles("OPERATOR").build(),
                User.withUsername(VIEWER).password("{noop}" + PASSWORD).roles("VIEWER").build());
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(basic -> basic.authenticationManager(new UserDetailsRepositoryReactiveAuthenticationManager(users)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/admin/**").hasAnyRole("VIEWER", "OPERATOR", "ADMIN")
                        .anyExchange().hasAnyRole("OPERATOR", "ADMIN"))
                .build();
    }
}
