package dev.tokencenter.refresh;

import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials whose last attempt could not record its backoff (or its new token) in Redis: this instance does not
 * try them again before the time kept here.
 */
@Component
class LocalBackoff {

    private final ConcurrentHashMap<Long, Instant> until = new ConcurrentHashMap<>();

    void hold(long upstreamId, Instant notBefore) {
        until.put(upstreamId, notBefore);
    }

    void clear(long upstreamId) {
        until.remove(upstreamId);
    }

    /** Whether the credential must still wait at {@code now}; a hold that has run out is dropped. */
    boolean holds(long upstreamId, Instant now) {
        Instant notBefore = until.get(upstreamId);
        if (notBefore == null) {
            return false;
        }
        if (!notBefore.isAfter(now)) {
            until.remove(upstreamId, notBefore);
            return false;
        }
        return true;
    }
}
