package dev.tokencenter.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Map;

/** Admin passwords: Argon2id for new hashes ({@code {argon2}...}); bcrypt hashes ({@code {bcrypt}...}) still verify. */
@Configuration(proxyBeanMethods = false)
class AdminPasswordConfiguration {

    @Bean
    PasswordEncoder adminPasswordEncoder() {
        return new DelegatingPasswordEncoder("argon2", Map.of(
                "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder()));
    }
}
