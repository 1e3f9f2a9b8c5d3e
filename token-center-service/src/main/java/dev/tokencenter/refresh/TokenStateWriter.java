package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies what refreshes wrote to Redis into PostgreSQL, off the refresh path: a refresh never waits for the database,
 * so a slow or unreachable PostgreSQL delays this copy, never a refresh. Keeps only the newest write per upstream
 * credential (the table is fenced anyway) and retries what failed until the database answers again.
 */
@Component
class TokenStateWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TokenStateWriter.class);

    private record Pending(long fence, StoredToken token, RefreshStatus status) {
    }

    private final TokenStateStore database;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-state-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    TokenStateWriter(TokenStateStore database) {
        this.database = database;
        writer.scheduleWithFixedDelay(this::drain, 1, 1, TimeUnit.SECONDS);
    }

    /** Queues a write; a later write of the same credential replaces it (a token written before is kept with it). */
    void write(long upstreamId, long fence, StoredToken token, RefreshStatus status) {
        pending.merge(upstreamId, new Pending(fence, token, status), (queued, next) -> next.fence() < queued.fence() ? queued
                : new Pending(next.fence(), next.token() != null ? next.token() : queued.token(), next.status()));
        if (drainQueued.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    /** Writes still waiting for PostgreSQL. */
    int backlog() {
        return pending.size();
    }

    private void drain() {
        drainQueued.set(false);
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            Pending write = entry.getValue();
            try {
                database.save(entry.getKey(), write.fence(), write.token(), write.status());
                pending.remove(entry.getKey(), write);
            } catch (RuntimeException e) {
                log.warn("token state of {} credential(s) not yet in PostgreSQL ({}): retrying", pending.size(),
                        e.getClass().getSimpleName());
                return;
            }
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        writer.submit(this::drain);
        writer.shutdown();
        writer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
