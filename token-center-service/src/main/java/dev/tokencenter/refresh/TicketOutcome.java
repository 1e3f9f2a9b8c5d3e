package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * What a ticket-only attempt came to. {@code retryAt}: for NOT_NEEDED, when a call for a new ticket becomes worth
 * making (WeChat answers the held ticket until it expires); for HELD and FAILED, when the kind may be called again.
 */
record TicketOutcome(Result result, Instant retryAt) {

    enum Result {
        /** A ticket was fetched and stored. */
        STORED,
        /** Another attempt stored a fresh ticket meanwhile, or no call is worth making yet. */
        NOT_NEEDED,
        /** The credential has no usable token to call with (the token read path fetches one). */
        NO_TOKEN,
        /** A limit or backoff holds the kind; no call was made. */
        HELD,
        /** The call failed; its error is recorded. */
        FAILED,
        /** The lock stayed held elsewhere, or the engine is saturated or stopping. */
        BUSY,
        /** A ticket-only attempt ran for this credential and kind moments ago (cluster-wide). */
        RATE_LIMITED,
        /** The credential is no longer served. */
        GONE;

        boolean calledUpstream() {
            return this == STORED || this == FAILED;
        }
    }

    static TicketOutcome of(Result result) {
        return new TicketOutcome(result, null);
    }
}
