package dev.tokencenter.client;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How long verified client keys and their grants are kept in memory, and how much a flood of made-up keys may cost.
 *
 * @param refreshAfter             an entry older than this is re-read from PostgreSQL in the background on its next
 *                                 use (the safety net behind the pub/sub eviction: a missed revocation message costs
 *                                 at most this)
 * @param expireAfter              an entry older than this is dropped, so a request waits for PostgreSQL; long, so
 *                                 that clients keep working through a short database outage
 * @param maximumSize              entries kept at most (known clients and remembered unknown client ids)
 * @param unknownTtl               how long a client id that PostgreSQL does not know (or knows as revoked) is
 *                                 remembered as unknown; a change of that client forgets it at once
 * @param unknownLookupsPerSecond  PostgreSQL reads per second and instance for client ids this instance does not know
 *                                 as active; beyond it (and the burst) a request is answered 503 without a query
 * @param unknownLookupBurst       how many such reads may happen at once after a quiet period
 * @param knownIdsReload           how often the ids of all active clients are re-read (the safety net behind the
 *                                 change messages; known ids are never throttled)
 */
@Validated
@ConfigurationProperties("token-center.clients")
public record ClientKeyCacheProperties(
        @DefaultValue("5s") @NotNull Duration refreshAfter,
        @DefaultValue("10m") @NotNull Duration expireAfter,
        @DefaultValue("10000") @Min(100) long maximumSize,
        @DefaultValue("30s") @NotNull Duration unknownTtl,
        @DefaultValue("20") @Min(1) int unknownLookupsPerSecond,
        @DefaultValue("40") @Min(1) int unknownLookupBurst,
        @DefaultValue("5m") @NotNull Duration knownIdsReload) {
}
