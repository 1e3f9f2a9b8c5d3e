package dev.tokencenter.refresh;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The refresh lock in PostgreSQL: a session advisory lock per upstream credential ({@code pg_try_advisory_lock} in a
 * key space of its own), never waited for. Refreshes coordinated without Redis take it alone; those coordinated by
 * the Redisson lock take it too whenever PostgreSQL answers, so the two paths exclude each other (see
 * docs/refresh-engine.md, "Refreshing while Redis is unreachable"). Asking for it waits at most {@link #ASK_WAIT} on a
 * thread of its own, so a stalled database costs an attempt that bound, never more; a lock granted after the asker
 * gave up is released at once.
 */
@Component
class AdvisoryLocks implements DisposableBean {

    /** First key of every refresh lock ('tcrf'): the two-key space, apart from the one-key locks of the registry. */
    static final int NAMESPACE = 0x74637266;
    /** How long an attempt waits for PostgreSQL to answer its lock request. */
    static final Duration ASK_WAIT = Duration.ofSeconds(1);
    /** Network timeout of every statement on a held lock's connection. */
    static final Duration IO_BOUND = Duration.ofSeconds(2);
    /** PostgreSQL's SQLSTATE for a setting it does not know (idle_session_timeout before version 14). */
    private static final String UNKNOWN_SETTING = "42704";

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLocks.class);

    /** What asking for the lock came to. */
    sealed interface Asked {
    }

    /** Granted: the caller must close it. */
    record Held(AdvisoryHold hold) implements Asked {
    }

    /** Another attempt (on any instance) holds it. */
    record Refused() implements Asked {
    }

    /** PostgreSQL did not answer in time, or too many locks are held here: nothing is known. */
    record Unanswered(String why) implements Asked {
    }

    private final DataSource dataSource;
    private final Duration lease;
    private final Semaphore holds;
    private final ThreadPoolExecutor askers;
    private volatile boolean sessionTimeoutSettable = true;

    AdvisoryLocks(DataSource dataSource, RefreshProperties properties) {
        this.dataSource = dataSource;
        this.lease = properties.lockLease();
        int pool = dataSource instanceof HikariDataSource hikari ? hikari.getMaximumPoolSize() : 10;
        // a held lock keeps a pooled connection: at most half the pool, the rest stays for reads and writes
        this.holds = new Semaphore(Math.max(1, pool / 2));
        AtomicInteger threads = new AtomicInteger();
        this.askers = new ThreadPoolExecutor(0, Math.max(2, pool / 2), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "advisory-lock-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    static int key(long upstreamId) {
        return (int) upstreamId; // ids beyond 2^31 may share a lock: a refresh then waits for another, never doubles
    }

    /** Asks for the credential's lock without waiting for another holder; bounded by {@link #ASK_WAIT}. */
    Asked tryHold(long upstreamId) {
        long requestedAt = System.nanoTime();
        if (!holds.tryAcquire()) {
            return new Unanswered("all advisory lock slots of this instance are in use");
        }
        CompletableFuture<AdvisoryHold> granted = new CompletableFuture<>();
        try {
            askers.execute(() -> {
                AdvisoryHold hold = null;
                try {
                    hold = acquire(upstreamId, requestedAt);
                } catch (SQLException | RuntimeException e) {
                    granted.completeExceptionally(e);
                    return;
                }
                if (!granted.complete(hold) && hold != null) {
                    hold.close(); // the asker gave up meanwhile
                }
            });
        } catch (RejectedExecutionException e) {
            holds.release();
            return new Unanswered("PostgreSQL is still busy with earlier lock requests");
        }
        try {
            AdvisoryHold hold = granted.get(ASK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (hold == null) {
                holds.release();
                return new Refused();
            }
            return held(hold);
        } catch (TimeoutException e) {
            if (granted.cancel(false)) {
                holds.release();
                return new Unanswered("PostgreSQL did not answer within " + ASK_WAIT.toMillis() + " ms");
            }
            return outcomeOf(granted);
        } catch (ExecutionException e) {
            holds.release();
            return new Unanswered(e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!granted.cancel(false)) {
                granted.thenAccept(hold -> {
                    if (hold != null) {
                        hold.close();
                    }
                });
            }
            holds.release();
            return new Unanswered("interrupted");
        }
    }

    private Asked outcomeOf(CompletableFuture<AdvisoryHold> granted) {
        try {
            AdvisoryHold hold = granted.getNow(null);
            if (hold == null) {
                holds.release();
                return new Refused();
            }
            return held(hold);
        } catch (RuntimeException e) {
            holds.release();
            return new Unanswered(e.getClass().getSimpleName());
        }
    }

    private AdvisoryHold acquire(long upstreamId, long requestedAt) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setNetworkTimeout(Runnable::run, (int) IO_BOUND.toMillis());
            String tryLock = "select pg_try_advisory_lock(" + NAMESPACE + ", " + key(upstreamId) + ")";
            boolean locked;
            if (sessionTimeoutSettable) {
                try {
                    // one round trip: the lease and the lock
                    locked = firstBoolean(connection, "set idle_session_timeout = " + lease.toMillis() + "; " + tryLock);
                } catch (SQLException e) {
                    if (!UNKNOWN_SETTING.equals(e.getSQLState())) {
                        throw e;
                    }
                    sessionTimeoutSettable = false;
                    log.warn("idle_session_timeout not known to this PostgreSQL (before 14): a stalled holder keeps its"
                            + " advisory lock until its session ends");
                    locked = firstBoolean(connection, tryLock);
                }
            } else {
                locked = firstBoolean(connection, tryLock);
            }
            if (!locked) {
                if (sessionTimeoutSettable) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("reset idle_session_timeout");
                    }
                }
                connection.close();
                return null;
            }
            return new AdvisoryHold(connection, upstreamId, requestedAt, lease, sessionTimeoutSettable, this::discard);
        } catch (SQLException | RuntimeException e) {
            discard(connection);
            throw e;
        }
    }

    /** Runs {@code sql} (one or more statements, sent together) and returns the first boolean it selects. */
    static boolean firstBoolean(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            boolean isResult = statement.execute(sql);
            while (isResult || statement.getUpdateCount() != -1) {
                if (isResult) {
                    try (ResultSet result = statement.getResultSet()) {
                        return result.next() && result.getBoolean(1);
                    }
                }
                isResult = statement.getMoreResults();
            }
            throw new SQLException("no result from: " + sql);
        }
    }

    /** A connection whose session state is unknown never goes back to the pool. */
    private void discard(Connection connection) {
        try {
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (RuntimeException | SQLException e) {
            log.debug("connection of an advisory lock not discarded cleanly: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        askers.shutdownNow();
    }

    /** The slot taken for the hold is given back when it is closed. */
    private Held held(AdvisoryHold hold) {
        hold.onClose(holds::release);
        return new Held(hold);
    }
}
