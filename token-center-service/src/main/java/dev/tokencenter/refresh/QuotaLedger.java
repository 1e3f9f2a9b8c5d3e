package dev.tokencenter.refresh;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * The quota counters in PostgreSQL ({@code quota_usage}): calls per upstream credential, quota day and counter,
 * never lowered. Blocking JDBC: call it from the quota writer, the reconvergence worker or a refresh worker holding
 * the advisory lock (on that lock's connection), never from an event loop.
 */
@Component
class QuotaLedger {

    /** Calls of one counter (an endpoint path or the force_refresh counter) of one credential on one quota day. */
    record Count(long upstreamId, LocalDate day, String counter, long calls) {
    }

    /** Counts of credentials that no longer exist are dropped (the join), so one of them never blocks the batch. */
    private static final String RAISE = """
            insert into quota_usage (upstream_id, quota_day, counter, calls)
            select given.upstream_id, given.quota_day, given.counter, given.calls
              from unnest(?::bigint[], ?::date[], ?::varchar[], ?::bigint[])
                   as given (upstream_id, quota_day, counter, calls)
              join upstream_credential known on known.id = given.upstream_id
            on conflict (upstream_id, quota_day, counter) do update
               set calls = greatest(quota_usage.calls, excluded.calls), updated_at = now()
            returning upstream_id, quota_day, counter, calls
            """;

    /** One call more than the larger of the row and {@code floor} (a count this instance knows of, not yet written). */
    private static final String COUNT_CALL = """
            insert into quota_usage (upstream_id, quota_day, counter, calls) values (?, ?, ?, ? + 1)
            on conflict (upstream_id, quota_day, counter) do update
               set calls = greatest(quota_usage.calls, excluded.calls - 1) + 1, updated_at = now()
            returning calls
            """;

    private static final String PRUNE = """
            delete from quota_usage where ctid in (select ctid from quota_usage where quota_day < ? limit ?)
            """;

    private final JdbcTemplate jdbc;

    QuotaLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Raises each counter to at least the given calls; answers what the table holds now for each of them. */
    List<Count> raise(Collection<Count> counts) {
        if (counts.isEmpty()) {
            return List.of();
        }
        Long[] ids = counts.stream().map(Count::upstreamId).toArray(Long[]::new);
        String[] days = counts.stream().map(count -> count.day().toString()).toArray(String[]::new);
        String[] counters = counts.stream().map(Count::counter).toArray(String[]::new);
        Long[] calls = counts.stream().map(Count::calls).toArray(Long[]::new);
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(RAISE);
            statement.setArray(1, connection.createArrayOf("bigint", ids));
            statement.setArray(2, connection.createArrayOf("varchar", days));
            statement.setArray(3, connection.createArrayOf("varchar", counters));
            statement.setArray(4, connection.createArrayOf("bigint", calls));
            return statement;
        }, (rs, n) -> count(rs));
    }

    /** The counters of these credentials on {@code day}. */
    List<Count> onDay(Collection<Long> upstreamIds, LocalDate day) {
        if (upstreamIds.isEmpty()) {
            return List.of();
        }
        Long[] ids = upstreamIds.toArray(Long[]::new);
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "select * from quota_usage where quota_day = ? and upstream_id = any(?)");
            statement.setObject(1, day);
            statement.setArray(2, connection.createArrayOf("bigint", ids));
            return statement;
        }, (rs, n) -> count(rs));
    }

    long used(long upstreamId, LocalDate day, String counter) {
        List<Long> calls = jdbc.queryForList(
                "select calls from quota_usage where upstream_id = ? and quota_day = ? and counter = ?", Long.class,
                upstreamId, day, counter);
        return calls.isEmpty() ? 0 : calls.get(0);
    }

    /** Counts one call (committed at once): the row becomes one more than the larger of itself and {@code floor}. */
    long countCall(long upstreamId, LocalDate day, String counter, long floor) {
        Long calls = jdbc.queryForObject(COUNT_CALL, Long.class, upstreamId, day, counter, floor);
        return calls == null ? floor + 1 : calls;
    }

    /** Removes at most {@code limit} rows of quota days before {@code keptFrom}; answers how many went. */
    int prune(LocalDate keptFrom, int limit) {
        return jdbc.update(PRUNE, keptFrom, limit);
    }

    private static Count count(ResultSet rs) throws SQLException {
        return new Count(rs.getLong("upstream_id"), rs.getObject("quota_day", LocalDate.class), rs.getString("counter"),
                rs.getLong("calls"));
    }
}
