package dev.tokencenter.admin;

import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Admin users for Spring Security, read on a bounded-elastic thread. */
@Component
public class AdminUserDetailsService implements ReactiveUserDetailsService {

    private final AdminUserService users;

    AdminUserDetailsService(AdminUserService users) {
        this.users = users;
    }

    @Override
    public Mono<UserDetails> findByUsername(String username) {
        return Mono.fromCallable(() -> findForLogin(username)).subscribeOn(Schedulers.boundedElastic());
    }

    /** The user with its password hash, or null. Blocking (JPA): for callers already on a bounded-elastic thread. */
    public UserDetails findForLogin(String username) {
        return users.findForLogin(username).map(AdminUserDetailsService::details).orElse(null);
    }

    private static UserDetails details(AdminUser user) {
        return User.withUsername(user.username())
                .password(user.passwordHash())
                .authorities(user.role().authorities())
                .disabled(!user.enabled())
                .build();
    }
}
