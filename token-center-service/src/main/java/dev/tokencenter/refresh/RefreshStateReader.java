package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.wechat.TicketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Blocking reads of the shared state for refresh attempts (on the refresh workers): Redis first, PostgreSQL when
 * Redis lost it.
 */
@Component
class RefreshStateReader {

    private static final Logger log = LoggerFactory.getLogger(RefreshStateReader.class);

    private final RedisTokenStore store;
    private final TokenStateStore database;
    private final TicketStore tickets;
    private final TokenCipher sealing;
    private final Clock clock;

    RefreshStateReader(RedisTokenStore store, TokenStateStore database, TicketStore tickets, TokenCipher sealing,
                       Clock clock) {
        this.store = store;
        this.database = database;
        this.tickets = tickets;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** The shared status and the highest fence PostgreSQL has seen (a floor when Redis lost its counter). */
    record SharedState(RefreshStatus status, long fenceFloor) {
    }

    /**
     * The shared state as an attempt starts from it, with the token Redis held next to the status (empty: none) and
     * the JS-SDK ticket kinds clients use, which a new token brings along.
     */
    record AttemptStart(SharedState shared, Optional<StoredToken> redisToken, Set<TicketEndpoint> enrolledTickets) {
    }

    /** The shared status; when Redis lost it, the PostgreSQL copy (its token is put back into Redis). */
    SharedState sharedState(long upstreamId) {
        Optional<RefreshStatus> cached = store.status(upstreamId);
        return cached.isPresent() ? new SharedState(cached.get(), 0) : fromDatabase(database.read(upstreamId));
    }

    /**
     * As {@link #sharedState(long)} with the token and the enrolments of the ticket {@code kinds} read in the same
     * round trip, and the PostgreSQL row (when Redis lost the status) from {@code row} (read once per attempt under its
     * lock).
     */
    AttemptStart attemptStart(long upstreamId, Collection<TicketEndpoint> kinds,
                              Supplier<Optional<TokenStateStore.Row>> row) {
        RedisTokenStore.StatusAndToken cached = store.statusAndToken(upstreamId, tickets.enrolmentKeys(upstreamId, kinds));
        Set<TicketEndpoint> enrolled = tickets.enrolledAmong(upstreamId, kinds, cached.found());
        if (cached.status().isPresent()) {
            return new AttemptStart(new SharedState(cached.status().get(), 0), cached.token(), enrolled);
        }
        Optional<TokenStateStore.Row> read = row.get();
        // the row's token went back into Redis unless Redis held one as new: the newer of the two is held now
        Optional<StoredToken> fromRow = read.flatMap(TokenStateStore.Row::token);
        Optional<StoredToken> held = fromRow.isPresent() && (cached.token().isEmpty()
                || fromRow.get().sequence() > cached.token().get().sequence()) ? fromRow : cached.token();
        return new AttemptStart(fromDatabase(read), held, enrolled);
    }

    private SharedState fromDatabase(Optional<TokenStateStore.Row> row) {
        if (row.isEmpty()) {
            return new SharedState(RefreshStatus.none(), 0);
        }
        row.get().token().ifPresent(token -> store.restoreToken(token, clock.instant()));
        return new SharedState(row.get().status(), row.get().fence());
    }

    /** The credential's PostgreSQL row, read now. */
    Optional<TokenStateStore.Row> databaseRow(long upstreamId) {
        return database.read(upstreamId);
    }

    /** The current token, decrypted; empty when there is none or it cannot be opened (then it counts as absent). */
    Optional<CurrentToken> heldToken(long upstreamId) {
        Optional<StoredToken> stored = store.readToken(upstreamId);
        return open(upstreamId, stored.isPresent() ? stored : database.read(upstreamId).flatMap(TokenStateStore.Row::token));
    }

    /**
     * As {@link #heldToken(long)}, for an attempt under the lock: the token Redis held when it started ({@code redis}),
     * else the PostgreSQL row's from {@code row}.
     */
    Optional<CurrentToken> heldToken(long upstreamId, Optional<StoredToken> redis,
                                     Supplier<Optional<TokenStateStore.Row>> row) {
        return open(upstreamId, redis.isPresent() ? redis : row.get().flatMap(TokenStateStore.Row::token));
    }

    private Optional<CurrentToken> open(long upstreamId, Optional<StoredToken> stored) {
        try {
            return stored.map(sealing::open);
        } catch (SealedValueException | IllegalArgumentException e) {
            log.warn("stored token of upstream credential {} cannot be opened ({}): treated as absent", upstreamId,
                    e instanceof SealedValueException sealed ? sealed.getMessage() : "malformed envelope");
            return Optional.empty();
        }
    }
}
