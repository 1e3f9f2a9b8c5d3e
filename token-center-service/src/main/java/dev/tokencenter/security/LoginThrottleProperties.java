package dev.tokencenter.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Failed admin logins (session login and HTTP Basic) allowed before further attempts get 429.
 *
 * @param maxFailuresPerUsername failures of one username within {@code window}; a successful login resets them
 * @param maxFailuresPerAddress  failures from one client address (an IPv6 address counts by its /64) within
 *                               {@code window}
 * @param window                 failures are counted from the first one for this long, then forgotten
 * @param redisTimeout           the longest wait for Redis, where the counters live (shared by every instance);
 *                               beyond it, and for the next few seconds, this instance counts in its own memory
 * @param localMaximumEntries    usernames and addresses counted at most in memory while Redis is unreachable
 * @param keyPrefix              prefix of the Redis keys
 */
@Validated
@ConfigurationProperties("token-center.admin.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("10") @Min(1) int maxFailuresPerUsername,
        @DefaultValue("50") @Min(1) int maxFailuresPerAddress,
        @DefaultValue("15m") @NotNull Duration window,
        @DefaultValue("1s") @NotNull Duration redisTimeout,
        @DefaultValue("100000") @Min(100) int localMaximumEntries,
        @DefaultValue("token-center:login-failures:") @NotBlank String keyPrefix) {
}
