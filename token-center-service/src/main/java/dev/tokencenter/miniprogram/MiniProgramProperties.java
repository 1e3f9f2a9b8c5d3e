package dev.tokencenter.miniprogram;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the mini program login services ({@code token-center.miniprogram.*}).
 *
 * @param sessionLifetime          how long a session (and its sealed session_key) is kept in Redis after the login
 *                                 that made it; 1 s to 30 days
 * @param sessionsPerMinute        per-client limit on {@code POST .../sessions} (per instance, bursts up to it)
 * @param decryptionsPerMinute     per-client limit on {@code POST .../sessions/{id}/decrypt}
 * @param watermarkMaxAge          the oldest {@code watermark.timestamp} decrypted data may carry; empty: any age
 * @param secretReadTimeout        the longest a login waits for the AppSecret from PostgreSQL
 */
@Validated
@ConfigurationProperties("token-center.miniprogram")
public record MiniProgramProperties(
        @DefaultValue("24h") @NotNull Duration sessionLifetime,
        @DefaultValue("600") @Min(1) int sessionsPerMinute,
        @DefaultValue("1200") @Min(1) int decryptionsPerMinute,
        Duration watermarkMaxAge,
        @DefaultValue("5s") @NotNull Duration secretReadTimeout) {

    static final Duration LONGEST_SESSION = Duration.ofDays(30);

    public MiniProgramProperties {
        if (sessionLifetime != null && (sessionLifetime.compareTo(Duration.ofSeconds(1)) < 0
                || sessionLifetime.compareTo(LONGEST_SESSION) > 0)) {
            throw new IllegalArgumentException("token-center.miniprogram.session-lifetime must be between 1s and 30d");
        }
        if (watermarkMaxAge != null && (watermarkMaxAge.isNegative() || watermarkMaxAge.isZero())) {
            throw new IllegalArgumentException("token-center.miniprogram.watermark-max-age must be positive when set");
        }
        if (secretReadTimeout != null && (secretReadTimeout.isNegative() || secretReadTimeout.isZero())) {
            throw new IllegalArgumentException("token-center.miniprogram.secret-read-timeout must be positive");
        }
    }
}
