package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * A JS-SDK ticket as Redis and the "ticket changed" topic hold it: sealed ({@code envelope}, base64, binding
 * {@code ticket:<upstream_id>:<kind>}). {@code fence} is the fence of the attempt that stored it; from
 * {@code renewableAt} on, a call may bring a new ticket (see {@link CurrentTicket}).
 */
record StoredTicket(long upstreamId, String kind, long fence, String envelope, Instant expiresAt, Instant obtainedAt,
                    Instant renewableAt) {

    @Override
    public String toString() {
        return "StoredTicket[upstream=" + upstreamId + ", kind=" + kind + ", fence=" + fence + ", expiresAt=" + expiresAt + "]";
    }
}
