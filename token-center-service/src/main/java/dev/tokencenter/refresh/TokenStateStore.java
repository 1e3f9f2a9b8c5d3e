package dev.tokencenter.refresh;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The durable copy of token and status per upstream credential: the cold fallback when Redis has nothing, and the
 * record that outlives Redis. Fenced like Redis: a write carrying a lower fence than the stored one never replaces it.
 */
interface TokenStateStore {

    /** A stored state: the sealed token (if any), the status and the fence of its last writer. */
    record Row(long upstreamId, Optional<StoredToken> token, RefreshStatus status, long fence) {
    }

    /** Writes status (and token, when given) unless a write with a higher fence got there first. */
    boolean save(long upstreamId, long fence, StoredToken token, RefreshStatus status);

    Optional<Row> read(long upstreamId);

    /** The rows of these upstream credentials (those without a row are missing). */
    List<Row> readAll(Collection<Long> upstreamIds);

    /** Rows written after {@code since} (the database's clock: a row's status carries it as {@code updatedAt}). */
    List<Row> changedSince(Instant since);

    /** Drops the state of an upstream credential that no environment names any more. */
    void forget(long upstreamId);
}
