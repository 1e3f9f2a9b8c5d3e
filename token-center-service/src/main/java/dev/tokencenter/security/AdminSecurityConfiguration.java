package dev.tokencenter.security;

import dev.tokencenter.admin.AdminUserDetailsService;
import dev.tokencenter.audit.RefusalAudit;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import dev.tokencenter.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.ServerLogoutSuccessHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfException;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin chain ({@code /admin/**}): HTTP Basic for automation, session login ({@code POST /admin/login}, form
 * fields username and password) for the UI, CSRF on session requests (cookie {@code XSRF-TOKEN}, header
 * {@code X-XSRF-TOKEN}), cross-site changes refused outright. GET needs VIEWER, other methods OPERATOR, admin users and
 * master keys ADMIN. Failed logins are throttled ({@link LoginThrottle}); every refusal (401, 403, 429) is answered
 * with a problem detail and audited ({@link RefusedRequests}). No 401 carries a Basic challenge, so browsers never
 * show a login dialog nor keep Basic credentials to replay. The static UI under {@code /admin/} is public.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfiguration {

    static final String LOGIN = "/admin/login";
    static final String LOGOUT = "/admin/logout";
    /** The admin UI runs only its own scripts and styles: no inline code, no other origin, never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none';"
            + " frame-ancestors 'none'";

    @Bean
    @Order(10)
    SecurityWebFilterChain adminChain(ServerHttpSecurity http, AdminUserDetailsService users,
                                      PasswordEncoder adminPasswordEncoder, ProblemWriter problems, LoginThrottle throttle,
                                      ClientAddressResolver addresses, RefusalAudit refusalAudit) {
        var authenticationManager = new AdminLoginAuthenticationManager(users, adminPasswordEncoder, throttle, addresses);
        var refusals = new RefusedRequests(problems, refusalAudit, addresses);
        ServerAuthenticationEntryPoint unauthenticated = entryPoint(refusals);

        var csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookiePath("/admin");
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));

        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin", "/admin/**"))
                .authenticationManager(authenticationManager)
                .securityContextRepository(new RevalidatingSecurityContextRepository(users))
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .httpBasic(basic -> basic
                        .authenticationManager(authenticationManager)
                        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                        .authenticationEntryPoint(unauthenticated))
                .formLogin(form -> form
                        .loginPage(LOGIN)
                        .authenticationManager(authenticationManager)
                        .authenticationEntryPoint(unauthenticated)
                        .authenticationSuccessHandler(loginSucceeded(problems))
                        .authenticationFailureHandler(loginFailed(refusals)))
                .logout(logout -> logout
                        .logoutUrl(LOGOUT)
                        .logoutHandler((webFilterExchange, authentication) -> webFilterExchange.getExchange()
                                .getSession().flatMap(WebSession::invalidate))
                        .logoutSuccessHandler(loggedOut()))
                .addFilterBefore(new CrossSiteRequestFilter(refusals), SecurityWebFiltersOrder.CSRF)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new HeaderOnlyCsrfTokenRequestHandler())
                        .requireCsrfProtectionMatcher(new CsrfRequiredMatcher(LOGIN, LOGOUT))
                        .accessDeniedHandler(accessDenied(refusals)))
                .addFilterAfter(new CsrfCookieWebFilter(), SecurityWebFiltersOrder.CSRF)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(accessDenied(refusals)))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/admin/api/admin-users", "/admin/api/admin-users/**",
                                "/admin/api/keys", "/admin/api/keys/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.GET, "/admin/api", "/admin/api/**").hasRole("VIEWER")
                        .pathMatchers(HttpMethod.HEAD, "/admin/api", "/admin/api/**").hasRole("VIEWER")
                        .pathMatchers("/admin/api", "/admin/api/**").hasRole("OPERATOR")
                        .anyExchange().permitAll())
                .build();
    }

    /** 401 problem (429 when the login was throttled), never with a Basic challenge. */
    private static ServerAuthenticationEntryPoint entryPoint(RefusedRequests refusals) {
        return (exchange, failure) -> {
            if (failure instanceof LoginThrottledException throttled) {
                return throttled(exchange, throttled, refusals);
            }
            boolean attempted = exchange.getAttribute(AdminLoginAuthenticationManager.ATTEMPTED_USERNAME) != null;
            return refusals.refuse(exchange, Problem.of(ProblemType.UNAUTHENTICATED,
                    "Log in (POST " + LOGIN + ") or send the HTTP Basic credentials of an admin user with the request."),
                    attempted ? "bad-credentials" : "unauthenticated");
        };
    }

    private static Mono<Void> throttled(ServerWebExchange exchange, LoginThrottledException throttled,
                                        RefusedRequests refusals) {
        return refusals.refuse(exchange, Problem.of(ProblemType.LOGIN_THROTTLED,
                "Too many failed logins for this username or from this address; try again after the Retry-After delay.")
                .retryAfter(Duration.ofSeconds(throttled.retryAfterSeconds())));
    }

    private static ServerAccessDeniedHandler accessDenied(RefusedRequests refusals) {
        return (exchange, denied) -> refusals.refuse(exchange, denied instanceof CsrfException
                ? Problem.of(ProblemType.CSRF, "Send the value of the XSRF-TOKEN cookie in the X-XSRF-TOKEN header.")
                : Problem.of(ProblemType.FORBIDDEN, "Your role does not allow this request."));
    }

    private static ServerAuthenticationSuccessHandler loginSucceeded(ProblemWriter problems) {
        return (webFilterExchange, authentication) -> problems.writeJson(webFilterExchange.getExchange(),
                HttpStatus.OK, principal(authentication));
    }

    private static ServerAuthenticationFailureHandler loginFailed(RefusedRequests refusals) {
        return (webFilterExchange, failure) -> failure instanceof LoginThrottledException throttled
                ? throttled(webFilterExchange.getExchange(), throttled, refusals)
                : refusals.refuse(webFilterExchange.getExchange(),
                Problem.of(ProblemType.LOGIN_FAILED, "Unknown user, wrong password, or disabled user."));
    }

    private static ServerLogoutSuccessHandler loggedOut() {
        return (webFilterExchange, authentication) -> {
            webFilterExchange.getExchange().getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return Mono.empty();
        };
    }

    static Map<String, Object> principal(Authentication authentication) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", authentication.getName());
        body.put("roles", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList());
        return body;
    }
}
