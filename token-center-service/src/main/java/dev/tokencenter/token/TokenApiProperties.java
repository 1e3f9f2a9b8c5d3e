package dev.tokencenter.token;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the token API and the WeChat-compatible endpoints.
 *
 * @param maxCacheAge             upper bound of {@code Cache-Control: max-age} on token responses (it is also never
 *                                more than the time until the token must no longer be used)
 * @param invalidateLimit         per-client limit on {@code POST /v1/tokens/.../invalidate}
 * @param forceRefreshLimit       per-client limit on {@code force_refresh:true} at {@code /cgi-bin/stable_token}
 * @param readCountFlushInterval  how often the in-memory token read counters are added to Redis
 */
@Validated
@ConfigurationProperties("token-center.token-api")
public record TokenApiProperties(
        @DefaultValue("300s") @NotNull Duration maxCacheAge,
        @DefaultValue @Valid RateLimit invalidateLimit,
        @DefaultValue @Valid RateLimit forceRefreshLimit,
        @DefaultValue("5s") @NotNull Duration readCountFlushInterval) {

    /** At most {@code permits} calls per {@code period} per client (a token bucket: bursts up to {@code permits}). */
    public record RateLimit(
            @DefaultValue("10") @Min(1) int permits,
            @DefaultValue("1m") @NotNull Duration period) {
    }
}
