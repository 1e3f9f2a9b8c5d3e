package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Copies the quota counts Redis returned into PostgreSQL ({@link QuotaLedger}), off the refresh path: a refresh only
 * records the count in memory, and this thread writes what was recorded once per {@link #PERIOD} in one statement. So
 * PostgreSQL lags Redis by about one period while it answers, and a slow or unreachable PostgreSQL delays this copy,
 * never a refresh (what failed is written again next time; one entry per credential, counter and day, so it stays
 * small). Where the table then holds more than Redis answered, that count goes back to whoever listens (Redis's
 * counters are raised to it: Redis lost some); a count the table merely took over is passed on to nobody. Rows of
 * quota days older than {@link #KEPT_DAYS} are removed here too, a bounded batch at a time.
 */
@Component
class QuotaWriter implements DisposableBean {

    static final long PERIOD_MILLIS = 1000;
    /** Quota days kept in PostgreSQL besides today (Redis keeps its counters 3 days as well). */
    static final int KEPT_DAYS = 3;
    static final int PRUNE_BATCH = 1000;
    private static final Logger log = LoggerFactory.getLogger(QuotaWriter.class);

    private record Key(long upstreamId, LocalDate day, String counter) {
    }

    private final QuotaLedger ledger;
    private final Clock clock;
    private final Map<Key, Long> pending = new ConcurrentHashMap<>();
    private volatile Consumer<List<QuotaLedger.Count>> onWritten = written -> { };
    private LocalDate prunedBefore;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "quota-writer");
        thread.setDaemon(true);
        return thread;
    });

    QuotaWriter(QuotaLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
        writer.scheduleWithFixedDelay(this::drain, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A counter reached {@code calls} (as Redis answered): to be written, unless a higher count of it is queued. */
    void record(long upstreamId, LocalDate day, String counter, long calls) {
        pending.merge(new Key(upstreamId, day, counter), calls, Math::max);
    }

    /** The count of a counter recorded here and not yet written (0 when none). */
    long notYetWritten(long upstreamId, LocalDate day, String counter) {
        return pending.getOrDefault(new Key(upstreamId, day, counter), 0L);
    }

    /** Gets what the table holds for each counter written (on the writer thread). */
    void onWritten(Consumer<List<QuotaLedger.Count>> listener) {
        this.onWritten = listener;
    }

    /** Counters waiting for PostgreSQL. */
    int backlog() {
        return pending.size();
    }

    void drain() {
        List<QuotaLedger.Count> batch = new ArrayList<>();
        pending.forEach((key, calls) -> batch.add(new QuotaLedger.Count(key.upstreamId(), key.day(), key.counter(), calls)));
        if (!batch.isEmpty()) {
            List<QuotaLedger.Count> written;
            try {
                written = ledger.raise(batch);
            } catch (RuntimeException e) {
                log.warn("quota counts of {} counter(s) not yet in PostgreSQL ({}): retrying", batch.size(),
                        e.getClass().getSimpleName());
                return;
            }
            Map<Key, Long> recorded = new HashMap<>();
            batch.forEach(count -> {
                Key key = new Key(count.upstreamId(), count.day(), count.counter());
                recorded.put(key, count.calls());
                pending.remove(key, count.calls());
            });
            List<QuotaLedger.Count> higher = written.stream().filter(count -> count.calls()
                    > recorded.getOrDefault(new Key(count.upstreamId(), count.day(), count.counter()), 0L)).toList();
            try {
                if (!higher.isEmpty()) {
                    onWritten.accept(higher);
                }
            } catch (RuntimeException e) {
                log.debug("quota counts written but not passed on ({})", e.getClass().getSimpleName());
            }
        }
        prune();
    }

    /** One bounded batch per period while old rows are left; then nothing until the quota day turns. */
    private void prune() {
        LocalDate keptFrom = LocalDate.ofInstant(clock.instant(), QuotaAccounting.QUOTA_ZONE).minusDays(KEPT_DAYS);
        if (keptFrom.equals(prunedBefore)) {
            return;
        }
        try {
            if (ledger.prune(keptFrom, PRUNE_BATCH) < PRUNE_BATCH) {
                prunedBefore = keptFrom;
            }
        } catch (RuntimeException e) {
            log.debug("old quota days not removed yet ({})", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.submit(this::drain);
        writer.shutdown();
        writer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
