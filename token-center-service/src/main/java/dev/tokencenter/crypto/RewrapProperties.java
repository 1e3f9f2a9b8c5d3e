package dev.tokencenter.crypto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The background re-wrap pass that moves sealed rows to the active master key: on startup (after
 * {@code initialDelay}) and then every {@code interval}, {@code batchSize} rows per statement.
 */
@Validated
@ConfigurationProperties("token-center.crypto.rewrap")
public record RewrapProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("10s") Duration initialDelay,
        @NotNull @DefaultValue("1h") Duration interval,
        @DefaultValue("100") @Min(1) @Max(10_000) int batchSize) {
}
