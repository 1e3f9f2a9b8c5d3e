package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;

/**
 * Writes what a refresh attempt produced, only while the attempt holds the credential's newest fence: Redis in one
 * fenced script (token and status together, announced in the same step), PostgreSQL through the advisory hold or
 * asynchronously. A holder whose place was taken writes nothing.
 */
@Component
class FencedWrites {

    private static final Logger log = LoggerFactory.getLogger(FencedWrites.class);

    /** What became of a new token. */
    enum TokenWrite {
        /** Stored in Redis and PostgreSQL and announced. */
        STORED,
        /** A newer attempt holds the fence: nothing was written. */
        SUPERSEDED,
        /** Redis could not take it: kept in this instance's near cache and PostgreSQL. */
        KEPT_LOCALLY
    }

    private final RedisTokenStore store;
    private final TokenStateWriter persistence;
    private final TokenChangeBus bus;
    private final LocalBackoff backoff;

    FencedWrites(RedisTokenStore store, TokenStateWriter persistence, TokenChangeBus bus, LocalBackoff backoff) {
        this.store = store;
        this.persistence = persistence;
        this.bus = bus;
        this.backoff = backoff;
    }

    /**
     * A status without a new token. PostgreSQL follows at once through the attempt's advisory lock when it holds one
     * (so an attempt that takes the lock next reads it), asynchronously otherwise. False when a newer attempt holds the
     * fence.
     */
    boolean saveStatus(long upstreamId, long fence, RefreshStatus next, Instant now, AdvisoryHold hold) {
        boolean saved = store.save(upstreamId, fence, null, next, now);
        if (saved) {
            persist(hold, upstreamId, fence, null, next);
        }
        return saved;
    }

    /**
     * Starts an attempt: a new fence above {@code floor} and, unless {@code guard} refuses the upstream call, the
     * {@code marking} status under it, in one Redis step. PostgreSQL follows the written status as in
     * {@link #saveStatus}, which raises its row's fence to the new one as well.
     */
    RedisTokenStore.Start start(long upstreamId, long floor, QuotaAccounting.AutomaticCallGuard guard,
                                RefreshStatus marking, AdvisoryHold hold) {
        RedisTokenStore.Start start = store.start(upstreamId, floor, guard, marking);
        if (start.marked()) {
            persist(hold, upstreamId, start.fence(), null, marking);
        }
        return start;
    }

    /** Through the held advisory lock's connection when there is one and it answers; otherwise by the writer thread. */
    private void persist(AdvisoryHold hold, long upstreamId, long fence, StoredToken token, RefreshStatus status) {
        if (hold != null) {
            try {
                hold.save(fence, token, status);
                return;
            } catch (RuntimeException e) {
                log.debug("token state of {} not written under its advisory lock ({}): queued", upstreamId,
                        e.getClass().getSimpleName());
            }
        }
        persistence.write(upstreamId, fence, token, status);
    }

    /** A new token with its status, stored before anything else that could fail, then announced. */
    TokenWrite saveToken(String upstreamKey, long upstreamId, long fence, StoredToken sealed, RefreshStatus refreshed,
                         Instant now, AdvisoryHold hold) {
        boolean saved;
        try {
            saved = saveNewToken(upstreamId, fence, sealed, refreshed, now);
        } catch (RuntimeException redisFailed) {
            // Redis failed after WeChat issued the token: keep it here and in PostgreSQL rather than lose it
            log.warn("{}: new token not stored in Redis ({}): kept locally and in PostgreSQL", upstreamKey,
                    redisFailed.getClass().getSimpleName());
            bus.deliverLocally(sealed);
            persist(hold, upstreamId, fence, sealed, refreshed);
            backoff.hold(upstreamId, refreshed.nextRefreshAt());
            return TokenWrite.KEPT_LOCALLY;
        }
        if (!saved) {
            log.info("{}: a newer refresh took over; this fetch (fence {}) is dropped", upstreamKey, fence);
            return TokenWrite.SUPERSEDED;
        }
        backoff.clear(upstreamId);
        try {
            bus.deliverLocally(sealed); // the other instances heard of it from the script that stored it
        } catch (RuntimeException e) {
            log.warn("{}: token stored but not delivered to this instance's near cache ({})", upstreamKey,
                    e.getClass().getSimpleName());
        }
        persist(hold, upstreamId, fence, sealed, refreshed);
        return TokenWrite.STORED;
    }

    /** A lost answer does not mean the script did not run: look before writing once more. */
    private boolean saveNewToken(long upstreamId, long fence, StoredToken sealed, RefreshStatus refreshed, Instant now) {
        try {
            return store.save(upstreamId, fence, sealed, refreshed, now);
        } catch (RuntimeException unanswered) {
            Optional<StoredToken> stored = store.readToken(upstreamId);
            if (stored.isPresent() && stored.get().sequence() == fence) {
                return true;
            }
            return store.save(upstreamId, fence, sealed, refreshed, now);
        }
    }
}
