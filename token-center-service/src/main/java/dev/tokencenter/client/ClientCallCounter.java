package dev.tokencenter.client;

import dev.tokencenter.registry.CredentialKey;
import jakarta.annotation.PreDestroy;
import org.redisson.api.RedissonClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Map;

/**
 * Counts the calls clients make besides token reads (mini program sessions, phone numbers, JS-SDK), per client,
 * credential and endpoint, the way token reads are counted: in memory, added to Redis every few seconds. Field:
 * {@code <tenant>/<app>/<env>|<client id>|<endpoint>}.
 */
@Component
public class ClientCallCounter {

    static final String ALL_TIME_KEY = "token-center:client-calls";
    static final String DAY_KEY_PREFIX = "token-center:client-calls:";

    private final CallTally tally;

    ClientCallCounter(RedissonClient redisson) {
        this.tally = new CallTally(redisson, ALL_TIME_KEY, DAY_KEY_PREFIX);
    }

    /** {@code endpoint}: a short fixed name such as {@code sessions.create}, never a value from the request. */
    public void record(String clientId, CredentialKey credential, String endpoint) {
        tally.add(credential + "|" + clientId + "|" + endpoint);
    }

    @Scheduled(fixedDelayString = "${token-center.token-api.read-count-flush-interval:5s}")
    @PreDestroy
    public void flush() {
        tally.flush();
    }

    /** All-time counts by {@code <tenant>/<app>/<env>|<client id>|<endpoint>} (blocking). */
    public Map<String, Long> allTime() {
        return tally.allTime();
    }

    /** Counts of one UTC day (blocking). */
    public Map<String, Long> onDay(LocalDate utcDay) {
        return tally.onDay(utcDay);
    }
}
