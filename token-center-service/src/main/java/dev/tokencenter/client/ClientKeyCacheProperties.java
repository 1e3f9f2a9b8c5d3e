package dev.tokencenter.client;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How long verified client keys and their grants are kept in memory.
 *
 * @param refreshAfter  an entry older than this is re-read from PostgreSQL in the background on its next use
 *                      (the safety net behind the pub/sub eviction: a missed revocation message costs at most this)
 * @param expireAfter   an entry older than this is dropped, so a request waits for PostgreSQL; long, so that
 *                      clients keep working through a short database outage
 * @param maximumSize   entries kept at most (known clients and remembered unknown client ids)
 * @param changesTopic  Redis pub/sub topic that carries client changes to every instance
 */
@Validated
@ConfigurationProperties("token-center.clients")
public record ClientKeyCacheProperties(
        @DefaultValue("5s") @NotNull Duration refreshAfter,
        @DefaultValue("10m") @NotNull Duration expireAfter,
        @DefaultValue("10000") @Min(100) long maximumSize,
        @DefaultValue("token-center:api-client-changed") @NotBlank String changesTopic) {
}
