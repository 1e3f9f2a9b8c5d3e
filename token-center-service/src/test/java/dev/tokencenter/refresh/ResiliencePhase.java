package dev.tokencenter.refresh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The figures of one phase of {@link ResilienceTest}: a fault, then the recovery after it. Reads are counted by the
 * readers while the phase is current; the rest is filled in by the test when the phase ends.
 */
final class ResiliencePhase {

    private static final int SAMPLES = 12;

    final String name;
    final String fault;
    /** Failed reads in this phase are the known gap (no refresh while Redis is unreachable), not asserted zero. */
    final boolean failuresAreKnownGap;

    final AtomicLong reads = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong slow = new AtomicLong();
    final AtomicLong hung = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    /** System.nanoTime() at which the phase's last failed read was sent (0: none). */
    final LongAccumulator lastFailureNanos = new LongAccumulator(Math::max, 0);
    /** Per credential path: when its first failed read of the phase was sent and its last one answered. */
    private final Map<String, long[]> failingSpans = new ConcurrentHashMap<>();
    private final AtomicInteger sampled = new AtomicInteger();
    final Queue<String> failureSamples = new ConcurrentLinkedQueue<>();

    Duration faultLasted = Duration.ZERO;
    Duration phaseLasted = Duration.ZERO;
    /** System.nanoTime() when the fault was lifted (or, for a closed instance, when it was closed). */
    long liftedNanos;
    long upstreamCalls;
    /** Upstream calls of each credential, in the test's order. */
    final List<Long> callsPerCredential = new ArrayList<>();
    long faultedCalls;
    long newTokens;
    long minimumCalls;
    long duplicates;
    long rowsBefore;
    long rowsAfter;
    /** From lifting the fault until every credential is OK with a usable token in Redis and persisted; null: never. */
    Duration stateBackAfter;

    ResiliencePhase(String name, String fault, boolean failuresAreKnownGap) {
        this.name = name;
        this.fault = fault;
        this.failuresAreKnownGap = failuresAreKnownGap;
    }

    void failure(String path, long sentNanos, String what) {
        failed.incrementAndGet();
        lastFailureNanos.accumulate(sentNanos);
        long answeredNanos = System.nanoTime();
        failingSpans.compute(path, (key, span) -> span == null ? new long[] {sentNanos, answeredNanos}
                : new long[] {Math.min(span[0], sentNanos), Math.max(span[1], answeredNanos)});
        if (sampled.incrementAndGet() <= SAMPLES) {
            failureSamples.add(what);
        }
    }

    /** From lifting the fault until the last failed read sent after it (zero when none was). */
    Duration readsBackAfter() {
        long last = lastFailureNanos.get();
        return last <= liftedNanos ? Duration.ZERO : Duration.ofNanos(last - liftedNanos);
    }

    /**
     * The longest time from sending the first failed read of one credential to the answer of its last failed read
     * (zero when none failed): how long, at the least, its clients were refused.
     */
    Duration longestFailingSpan() {
        return failingSpans.values().stream().map(span -> Duration.ofNanos(span[1] - span[0]))
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    long rowsLost() {
        return Math.max(0, rowsBefore - rowsAfter);
    }
}
