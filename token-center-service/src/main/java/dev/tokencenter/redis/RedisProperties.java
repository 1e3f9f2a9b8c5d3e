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
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("2s") Duration connectTimeout) {
}
