package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The refresh engine's meters, recorded where things happen (attempts, lock waits, stored tokens). Label values are
 * slugs and fixed words only. Refresh counters are per environment (tenant/app/env): an attempt on an upstream
 * credential counts once for every environment that shares it.
 */
@Component
class RefreshMeters {

    private static final Logger log = LoggerFactory.getLogger(RefreshMeters.class);

    private static final Duration[] LOCK_WAIT_BUCKETS = seconds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10);
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    private static final Duration[] LAG_BUCKETS = seconds(0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600);

    /** The {@code result} label of {@code tokencenter_refresh_total}. */
    enum Result {
        REFRESHED, UNCHANGED, FAILED, REFUSED, SUPERSEDED;

        final String label = name().toLowerCase();

        /** The label of an attempt's outcome, or null for outcomes that are no attempt (busy, gone). */
        static Result of(RefreshOutcome.Result result) {
            return switch (result) {
                case REFRESHED -> REFRESHED;
                case UNCHANGED -> UNCHANGED;
                case FAILED -> FAILED;
                case REFUSED, RATE_LIMITED -> REFUSED;
                case NOT_NEEDED -> SUPERSEDED;
                default -> null;
            };
        }

        static Result of(TicketOutcome.Result result) {
            return switch (result) {
                case STORED -> REFRESHED;
                case FAILED -> FAILED;
                case HELD -> REFUSED;
                case NOT_NEEDED -> SUPERSEDED;
                default -> null;
            };
        }
    }

    /** The {@code trigger} label of ticket-only attempts. */
    static final String TICKET = "ticket";

    private final MeterRegistry registry;
    private final CredentialCatalog catalog;
    private final Timer lockWait;
    private final Timer lag;
    private final Map<Result, Timer> durations = new EnumMap<>(Result.class);
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();

    RefreshMeters(MeterRegistry registry, CredentialCatalog catalog) {
        this.registry = registry;
        this.catalog = catalog;
        this.lockWait = Timer.builder("tokencenter.lock.wait")
                .description("Wait for a credential's cluster-wide lock")
                .serviceLevelObjectives(LOCK_WAIT_BUCKETS)
                .register(registry);
        this.lag = Timer.builder("tokencenter.refresh.lag")
                .description("From a refresh's due time to its new token stored")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
        for (Result result : Result.values()) {
            durations.put(result, Timer.builder("tokencenter.refresh.duration")
                    .description("One refresh attempt under the credential's lock")
                    .tag("result", result.label)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry));
        }
        Gauge.builder("tokencenter.refresh.last.success.timestamp", lastSuccess, AtomicLong::doubleValue)
                .description("Epoch seconds of the last token this instance obtained and stored (0: none yet)")
                .baseUnit("seconds")
                .register(registry);
    }

    void lockWait(long nanos) {
        lockWait.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Never fails the refresh it records (a meter that cannot be registered is logged and skipped). */
    private void safely(Runnable recording) {
        try {
            recording.run();
        } catch (RuntimeException e) {
            log.debug("refresh meter not recorded: {}", e.toString());
        }
    }

    /** One attempt under the lock: counted for every environment of the credential, timed by result. */
    void attempt(long upstreamId, String trigger, Result result, long nanos) {
        if (result == null) {
            return;
        }
        safely(() -> {
            durations.get(result).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            for (CatalogEntry entry : catalog.sharing(upstreamId)) {
                attempts.computeIfAbsent(new AttemptKey(entry.key(), trigger, result), this::counter).increment();
            }
        });
    }

    void attempt(long upstreamId, RefreshTrigger trigger, RefreshOutcome.Result result, long nanos) {
        attempt(upstreamId, label(trigger), Result.of(result), nanos);
    }

    /** A new token was stored: the lag from when it was due, and the time of the last success. */
    void stored(Instant due, Instant storedAt) {
        lastSuccess.accumulateAndGet(storedAt.getEpochSecond(), Math::max);
        safely(() -> lag.record(due != null && !due.isAfter(storedAt) ? Duration.between(due, storedAt) : Duration.ZERO));
    }

    /**
     * Removes the refresh counters of environments that are gone, so that they leave no stale series. Asks the catalog
     * as it is now, not a copy taken before: an environment added meanwhile may already have counted an attempt.
     */
    void forgetGone() {
        attempts.entrySet().removeIf(entry -> {
            if (catalog.find(entry.getKey().key()).isPresent()) {
                return false;
            }
            registry.remove(entry.getValue());
            return true;
        });
    }

    /** Contract labels: lower case, words joined by '_' ({@code report} for a client's report). */
    static String label(RefreshTrigger trigger) {
        return switch (trigger) {
            case SCHEDULED -> "scheduled";
            case FIRST_USE -> "first_use";
            case REPORTED -> "report";
            case FORCED -> "forced";
            case SECRET_CHANGED -> "secret_changed";
            case RETRY -> "retry";
        };
    }

    private Counter counter(AttemptKey key) {
        return Counter.builder("tokencenter.refresh")
                .description("Refresh attempts of the credential an environment names")
                .tag("tenant", key.key().tenant())
                .tag("app", key.key().app())
                .tag("env", key.key().env())
                .tag("result", key.result().label)
                .tag("trigger", key.trigger())
                .register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] buckets = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            buckets[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
        }
        return buckets;
    }

    private record AttemptKey(CredentialKey key, String trigger, Result result) {
    }
}
