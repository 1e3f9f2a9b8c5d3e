package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;
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
    private final TokenCipher sealing;
    private final Clock clock;

    RefreshStateReader(RedisTokenStore store, TokenStateStore database, TokenCipher sealing, Clock clock) {
        this.store = store;
        this.database = database;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** The shared status and the highest fence PostgreSQL has seen (a floor when Redis lost its counter). */
    record SharedState(RefreshStatus status, long fenceFloor) {
    }

    /** The shared status; when Redis lost it, the PostgreSQL copy (its token is put back into Redis). */
    SharedState sharedState(long upstreamId) {
        return sharedState(upstreamId, () -> database.read(upstreamId));
    }

    /** As {@link #sharedState(long)}, with the PostgreSQL row from {@code row} (read already, e.g. under the lock). */
    SharedState sharedState(long upstreamId, Supplier<Optional<TokenStateStore.Row>> row) {
        Optional<RefreshStatus> cached = store.status(upstreamId);
        if (cached.isPresent()) {
            return new SharedState(cached.get(), 0);
        }
        return fromDatabase(row.get());
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
        return heldToken(upstreamId, () -> database.read(upstreamId));
    }

    /** As {@link #heldToken(long)}, with the PostgreSQL row from {@code row}. */
    Optional<CurrentToken> heldToken(long upstreamId, Supplier<Optional<TokenStateStore.Row>> row) {
        Optional<StoredToken> stored = store.readToken(upstreamId);
        if (stored.isEmpty()) {
            stored = row.get().flatMap(TokenStateStore.Row::token);
        }
        try {
            return stored.map(sealing::open);
        } catch (SealedValueException | IllegalArgumentException e) {
            log.warn("stored token of upstream credential {} cannot be opened ({}): treated as absent", upstreamId,
                    e instanceof SealedValueException sealed ? sealed.getMessage() : "malformed envelope");
            return Optional.empty();
        }
    }
}
