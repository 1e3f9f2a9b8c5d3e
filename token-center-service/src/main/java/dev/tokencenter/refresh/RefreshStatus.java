package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * The shared refresh status of one credential, kept in Redis (written only by the holder of the credential's lock)
 * and mirrored to PostgreSQL {@code token_state}.
 *
 * @param state         OK / REFRESHING / RETRYING / STOPPED / PAUSED / NO_TOKEN
 * @param sequence      fencing sequence of the current token (0: none)
 * @param appid         the AppID the current token was issued to
 * @param expiresAt     when the current token expires
 * @param obtainedAt    when it was obtained
 * @param nextRefreshAt when the scheduler next calls upstream (null when stopped)
 * @param lastTrigger   why the last refresh happened (scheduled, first-use, reported, forced, secret-changed, retry)
 * @param lastError     the last failure, cleared by a successful refresh
 * @param pausedUntil   PAUSED: the start of the next quota day
 * @param refreshedBy   the instance that obtained the current token
 * @param attempt       consecutive retryable failures
 * @param updatedAt     when this status was written
 */
public record RefreshStatus(RefreshState state, long sequence, String appid, Instant expiresAt, Instant obtainedAt,
                            Instant nextRefreshAt, String lastTrigger, LastError lastError, Instant pausedUntil,
                            String refreshedBy, int attempt, Instant updatedAt) {

    static RefreshStatus none() {
        return new RefreshStatus(RefreshState.NO_TOKEN, 0, null, null, null, null, null, null, null, null, 0, null);
    }

    public boolean hasToken() {
        return sequence > 0 && expiresAt != null;
    }

    RefreshStatus withState(RefreshState newState, Instant now) {
        return new RefreshStatus(newState, sequence, appid, expiresAt, obtainedAt, nextRefreshAt, lastTrigger, lastError,
                pausedUntil, refreshedBy, attempt, now);
    }

    /** The state to show when nothing is wrong: OK with a token, NO_TOKEN without. */
    RefreshState restingState() {
        return hasToken() ? RefreshState.OK : RefreshState.NO_TOKEN;
    }
}
