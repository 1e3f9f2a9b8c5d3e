package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A credential's PostgreSQL advisory lock as held by one refresh attempt, on a connection of its own for as long as
 * the attempt runs. The session may sit idle for at most the lock lease ({@code idle_session_timeout}): a holder that
 * stalls longer loses its session and with it the lock, like a Redis lease that ran out. What is left of the lease is
 * counted from the moment the lock was asked for. Every statement on the connection is bounded by its network timeout.
 */
final class AdvisoryHold implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryHold.class);

    /**
     * Takes a fence for an attempt, committed at once (so a holder that loses its session cannot hand the same fence
     * out twice): above every fence and sequence the row has seen and above {@code floor}.
     */
    private static final String TAKE_FENCE = """
            insert into token_state (upstream_id, fence) values (?, ? + 1)
            on conflict (upstream_id) do update
               set fence = greatest(token_state.fence, token_state.sequence, excluded.fence - 1) + 1
            returning fence
            """;

    private final Connection connection;
    private final long upstreamId;
    private final long endsAt;
    private final JdbcTemplate jdbc;
    private final JdbcTokenStateStore rows;
    private final Consumer<Connection> discard;
    private final boolean leaseOnSession;
    private Runnable afterClose = () -> { };
    private boolean closed;

    AdvisoryHold(Connection connection, long upstreamId, long requestedAt, Duration lease, boolean leaseOnSession,
                 Consumer<Connection> discard) {
        this.connection = connection;
        this.leaseOnSession = leaseOnSession;
        this.upstreamId = upstreamId;
        this.endsAt = requestedAt + lease.toNanos();
        this.jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        this.rows = new JdbcTokenStateStore(jdbc);
        this.discard = discard;
    }

    /** The quota counters in PostgreSQL, on the held connection. */
    QuotaLedger ledger() {
        return new QuotaLedger(jdbc);
    }

    /** The credential's row, read under the lock. */
    Optional<TokenStateStore.Row> row() {
        return rows.read(upstreamId);
    }

    /** A new fence, committed: higher than the row's fence and sequence and than {@code floor}. */
    long takeFence(long floor) {
        Long fence = jdbc.queryForObject(TAKE_FENCE, Long.class, upstreamId, floor);
        return fence == null ? floor + 1 : fence;
    }

    /** The fenced upsert of {@link JdbcTokenStateStore#save}; false when a higher fence got there first. */
    boolean save(long fence, StoredToken token, RefreshStatus status) {
        return rows.save(upstreamId, fence, token, status);
    }

    Duration left() {
        return Duration.ofNanos(endsAt - System.nanoTime());
    }

    long upstreamId() {
        return upstreamId;
    }

    void onClose(Runnable action) {
        this.afterClose = action;
    }

    /** Unlocks and gives the connection back; a connection that cannot be unlocked is discarded (which unlocks it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            String unlock = "select pg_advisory_unlock(" + AdvisoryLocks.NAMESPACE + ", " + AdvisoryLocks.key(upstreamId) + ")";
            // one round trip: the lock and the lease go together
            AdvisoryLocks.firstBoolean(connection, leaseOnSession ? unlock + "; reset idle_session_timeout" : unlock);
            connection.close();
        } catch (RuntimeException | SQLException e) {
            log.debug("advisory lock of upstream credential {} ended with its session ({})", upstreamId,
                    e.getClass().getSimpleName());
            discard.accept(connection);
        } finally {
            afterClose.run();
        }
    }
}
