package dev.tokencenter.security;

import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import dev.tokencenter.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * The catch-all chain: the OpenAPI document is public, everything else not claimed by a more specific chain (admin
 * API, token API, the management port) is denied, {@code /actuator} paths included: the actuator answers only on the
 * management port. Feature chains declare their own securityMatcher and a lower @Order.
 * A denied request learns only that there is nothing for it here (404 from the catalogue): no credentials would help.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class DefaultSecurityConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityWebFilterChain defaultChain(ServerHttpSecurity http, ProblemWriter problems) {
        Problem nothingHere = Problem.of(ProblemType.NOT_FOUND, "There is nothing at this path.");
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((exchange, failure) -> problems.write(exchange, nothingHere))
                        .accessDeniedHandler((exchange, denied) -> problems.write(exchange, nothingHere)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        // the admin UI's stylesheet (a webjar)
                        .pathMatchers(HttpMethod.GET, "/webjars/picocss__pico/**").permitAll()
                        .anyExchange().denyAll())
                .build();
    }
}
