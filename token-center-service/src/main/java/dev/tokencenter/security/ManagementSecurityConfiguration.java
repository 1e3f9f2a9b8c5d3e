package dev.tokencenter.security;

import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import dev.tokencenter.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * The management port ({@code management.server.port}, 8081 by default): the actuator's health groups, info and the
 * Prometheus scrape, read-only and without authentication, so that probes and Prometheus need no credentials. It is
 * kept off the public network by deployment (its own port, {@code management.server.address} to bind it to an
 * internal interface, no route or ingress to it): see docs/security.md. Nothing it shows holds a secret or a token.
 * Anything else on that port is refused like an unknown path.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurityConfiguration {

    @Bean
    @Order(5)
    SecurityWebFilterChain managementChain(ServerHttpSecurity http, ManagementPort managementPort, ProblemWriter problems) {
        Problem nothingHere = Problem.of(ProblemType.NOT_FOUND, "There is nothing at this path.");
        return http
                .securityMatcher(managementPort)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((exchange, failure) -> problems.write(exchange, nothingHere))
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, nothingHere)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/actuator", "/actuator/health", "/actuator/health/**",
                                "/actuator/info", "/actuator/prometheus").permitAll()
                        .anyExchange().denyAll())
                .build();
    }
}
