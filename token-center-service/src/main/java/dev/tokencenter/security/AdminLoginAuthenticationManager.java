package dev.tokencenter.security;

import dev.tokencenter.admin.AdminUserDetailsService;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Checks an admin username and password (session login and HTTP Basic), in one bounded-elastic task: the throttle
 * first (a refused attempt costs no hash), then the user, then exactly one password hash whether the user exists or
 * not (an unknown or disabled user is checked against a dummy hash of the same kind, so the answer takes as long as
 * for a wrong password; Spring's reactive manager answers an unknown user at once), then the failure or success is
 * counted. Every outcome other than success is the same BadCredentialsException.
 */
final class AdminLoginAuthenticationManager implements ReactiveAuthenticationManager {

    /** Exchange attribute: the username an attempt named (for the audit of refused requests; never the password). */
    static final String ATTEMPTED_USERNAME = AdminLoginAuthenticationManager.class.getName() + ".username";

    private final AdminUserDetailsService users;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final ClientAddressResolver addresses;
    private final String dummyHash;

    AdminLoginAuthenticationManager(AdminUserDetailsService users, PasswordEncoder passwords, LoginThrottle throttle,
                                    ClientAddressResolver addresses) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
        this.addresses = addresses;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.dummyHash = passwords.encode(Base64.getEncoder().encodeToString(random));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String username = attempt.getName();
        String password = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        return Mono.deferContextual(context -> {
            ServerWebExchange exchange = context.getOrDefault(ServerWebExchange.class, null);
            String address = ClientAddressResolver.UNKNOWN;
            if (exchange != null) {
                exchange.getAttributes().put(ATTEMPTED_USERNAME, username);
                address = addresses.resolve(exchange.getRequest());
            }
            String from = address;
            return Mono.fromCallable(() -> check(username, password, from)).subscribeOn(Schedulers.boundedElastic());
        });
    }

    private Authentication check(String username, String password, String address) {
        long retryAfter = throttle.retryAfterSeconds(username, address);
        if (retryAfter > 0) {
            throw new LoginThrottledException(retryAfter);
        }
        UserDetails user = users.findForLogin(username);
        boolean matches = passwords.matches(password, user == null ? dummyHash : user.getPassword());
        if (user == null || !matches || !user.isEnabled() || !user.isAccountNonLocked() || !user.isAccountNonExpired()) {
            throttle.failed(username, address);
            throw new BadCredentialsException("Invalid credentials");
        }
        throttle.succeeded(username);
        return UsernamePasswordAuthenticationToken.authenticated(user.getUsername(), null, user.getAuthorities());
    }
}
