package dev.tokencenter.refresh;

/**
 * What one refresh request came to, and the credential's status afterwards (null when unknown).
 */
public record RefreshOutcome(Result result, RefreshStatus status) {

    public enum Result {
        /** A new token was obtained and stored. */
        REFRESHED,
        /** Upstream answered with the token already held: not a refresh. */
        UNCHANGED,
        /** Nothing to do: another instance refreshed already, the reported token is no longer current, ... */
        NOT_NEEDED,
        /** The credential's lock was held elsewhere for longer than this request would wait. */
        BUSY,
        /** The upstream call failed; the status says how the errcode policy reacted. */
        FAILED,
        /** Refused by a guard: the quota guard, a stopped or paused credential, or the force_refresh limits. */
        REFUSED,
        /** Refused because the per-credential report/forced-refresh rate limit is in force. */
        RATE_LIMITED,
        /** The credential no longer exists or is disabled. */
        GONE,
        /** A reported token that WeChat still accepts: nothing was refreshed, the token keeps being served. */
        CONFIRMED_VALID,
        /** A report that could not be checked with WeChat (no answer, or over the check budget): nothing refreshed. */
        UNVERIFIED;

        /** Whether this outcome spent an upstream token call (and so a slot of the on-demand rate limit). */
        public boolean calledUpstream() {
            return this == REFRESHED || this == UNCHANGED || this == FAILED || this == REFUSED;
        }
    }
}
