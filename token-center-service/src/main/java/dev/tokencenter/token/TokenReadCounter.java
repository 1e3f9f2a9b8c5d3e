package dev.tokencenter.token;

import dev.tokencenter.client.CallTally;
import dev.tokencenter.registry.CredentialKey;
import jakarta.annotation.PreDestroy;
import org.redisson.api.RedissonClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Map;

/**
 * Counts token reads per client and credential without a write per request: reads are added up in memory and the
 * sums added to Redis hashes every few seconds, an all-time hash and one per UTC day. Field:
 * {@code <tenant>/<app>/<env>|<client id>}.
 */
@Component
public class TokenReadCounter {

    static final String ALL_TIME_KEY = "token-center:token-reads";
    static final String DAY_KEY_PREFIX = "token-center:token-reads:";

    private final CallTally tally;

    TokenReadCounter(RedissonClient redisson) {
        this.tally = new CallTally(redisson, ALL_TIME_KEY, DAY_KEY_PREFIX);
    }

    public void record(String clientId, CredentialKey credential) {
        tally.add(credential + "|" + clientId);
    }

    /** Adds the reads counted since the last flush to Redis; on failure they are kept for the next flush. */
    @Scheduled(fixedDelayString = "${token-center.token-api.read-count-flush-interval:5s}")
    @PreDestroy
    public void flush() {
        tally.flush();
    }

    /** All-time read counts by {@code <tenant>/<app>/<env>|<client id>} (blocking: not on an event loop). */
    public Map<String, Long> allTime() {
        return tally.allTime();
    }

    /** Read counts of one UTC day by {@code <tenant>/<app>/<env>|<client id>} (blocking: not on an event loop). */
    public Map<String, Long> onDay(LocalDate utcDay) {
        return tally.onDay(utcDay);
    }

    /** Reads counted on this instance and not yet flushed (for metrics). */
    public long pendingCount() {
        return tally.pendingCount();
    }
}
