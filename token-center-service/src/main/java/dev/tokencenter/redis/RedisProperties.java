package dev.tokencenter.redis;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/** Redis connection for Redisson, from our own properties (token-center.redis.*). */
@Validated
@ConfigurationProperties("token-center.redis")
public record RedisProperties(
        @NotBlank String address,
        String username,
        String password,
        @DefaultValue("0") @Min(0) int database,
        @DefaultValue("32") @Min(1) int connectionPoolSize,
        @DefaultValue("8") @Min(1) int connectionMinimumIdleSize,
        @DefaultValue("1s") Duration timeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("1") @Min(0) int retryAttempts,
        @DefaultValue("200ms") Duration retryInterval) {

    /** The longest one Redis command can take before Redisson gives up on it: every attempt and the pauses between. */
    public Duration commandBound() {
        return timeout.multipliedBy(retryAttempts + 1L).plus(retryInterval.multipliedBy(retryAttempts));
    }
}
