package dev.tokencenter.security;

import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.BearerKeyConverter;
import dev.tokencenter.client.ClientKeyAuthentication;
import dev.tokencenter.client.ClientKeyAuthenticationManager;
import dev.tokencenter.client.ClientKeyEntryPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The chain of the token API ({@code /v1/**}: bearer client key required) and the WeChat-compatible endpoints
 * ({@code /cgi-bin/**}: open here, they check the client key passed as "secret" themselves so they can answer in
 * WeChat's error shape). Stateless: no session, no request cache, no CSRF (no cookies are involved).
 * Grants (tenant/app/env) are checked by the handlers, which know the path.
 */
@Configuration(proxyBeanMethods = false)
class ClientSecurityConfiguration {

    @Bean
    @Order(20)
    SecurityWebFilterChain clientChain(ServerHttpSecurity http, ClientKeyAuthenticationManager authenticationManager,
                                       ClientKeyEntryPoint entryPoint) {
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(authenticationManager);
        bearer.setServerAuthenticationConverter(new BearerKeyConverter());
        bearer.setRequiresAuthenticationMatcher(ServerWebExchangeMatchers.pathMatchers("/v1/**"));
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        ServerAuthenticationEntryPointFailureHandler failureHandler = new ServerAuthenticationEntryPointFailureHandler(entryPoint);
        failureHandler.setRethrowAuthenticationServiceException(false);
        bearer.setAuthenticationFailureHandler(failureHandler);
        bearer.setAuthenticationSuccessHandler((webFilterExchange, authentication) -> {
            webFilterExchange.getExchange().getAttributes()
                    .put(ClientPrincipal.EXCHANGE_ATTRIBUTE, ((ClientKeyAuthentication) authentication).client());
            return webFilterExchange.getChain().filter(webFilterExchange.getExchange());
        });

        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/v1/**", "/cgi-bin/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/cgi-bin/**").permitAll()
                        .anyExchange().authenticated())
                .build();
    }
}
