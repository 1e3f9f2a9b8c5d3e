package dev.tokencenter.refresh;

import dev.tokencenter.registry.TokenMode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The decisions of a refresh attempt, as pure code: whether to call upstream at all, what WeChat's answer or failure
 * leads to, and which status to record. It reads nothing but its arguments (the held token only through
 * {@link HeldToken}, when a decision needs it) and writes nothing; {@link RefreshAttempt} does the I/O.
 */
final class RefreshDecider {

    private final RefreshProperties properties;
    private final RefreshTimings timings;
    private final String instanceId;

    RefreshDecider(RefreshProperties properties, RefreshTimings timings, String instanceId) {
        this.properties = properties;
        this.timings = timings;
        this.instanceId = instanceId;
    }

    /** The token held for the credential, decrypted; read only when a decision needs it. */
    @FunctionalInterface
    interface HeldToken {
        Optional<CurrentToken> read();
    }

    /** What the attempt does after WeChat answered with a token. */
    sealed interface AfterAnswer {
    }

    /** A new token: store it with this status (one fenced write), then announce it. */
    record Store(CurrentToken token, RefreshStatus status) implements AfterAnswer {
    }

    /** WeChat returned the token already held: not a refresh; record the resting status and answer UNCHANGED. */
    record KeepHeld(RefreshStatus status) implements AfterAnswer {
    }

    /**
     * Stable mode, asked for on demand, and a normal call returned the held token: spend a force_refresh if its
     * limits allow (keeping {@code operatorReserve} of the daily ones), else record {@code ifRefused} and answer
     * REFUSED.
     */
    record ForceRefresh(int operatorReserve, RefreshStatus ifRefused) implements AfterAnswer {
    }

    /**
     * Whether the attempt, holding the lock, should call upstream: empty to go on, otherwise the answer to give without
     * calling. Scheduled: only when due. First use: only when no usable token is held, the credential is neither
     * blocked nor backing off, and a call could return a new token. Reported: only while the reported token is still
     * the one held. Forced: unless refreshed since it was asked for. Retry: only a stopped, paused or retrying
     * credential. Secret changed: a stopped, paused or retrying credential, or one whose token is of another AppID.
     */
    Optional<RefreshOutcome> reasonToSkip(RefreshRequest request, RefreshStatus status, CatalogEntry entry, Instant now,
                                          HeldToken held) {
        RefreshOutcome notNeeded = new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, status);
        boolean blocked = isBlocked(status, now);
        boolean tokenOfThisAppid = status.hasToken() && entry.appid().equals(status.appid());
        switch (request.trigger()) {
            case SCHEDULED -> {
                return isDue(status, entry, now) ? Optional.empty() : Optional.of(notNeeded);
            }
            case FIRST_USE -> {
                boolean holding = tokenOfThisAppid && held.read().isPresent();
                boolean usable = holding
                        && status.expiresAt().minus(properties.minimumLifetimeFor(entry.mode())).isAfter(now);
                boolean backingOff = status.state() == RefreshState.RETRYING && status.nextRefreshAt() != null
                        && status.nextRefreshAt().isAfter(now);
                boolean obtainable = !holding || timings.newTokenObtainable(entry.mode(), now, status.expiresAt());
                return blocked || usable || backingOff || !obtainable ? Optional.of(notNeeded) : Optional.empty();
            }
            case REPORTED -> {
                if (blocked) {
                    return Optional.of(new RefreshOutcome(RefreshOutcome.Result.REFUSED, status));
                }
                return tokenOfThisAppid && holds(status, held, request.rejectedToken())
                        ? Optional.empty() : Optional.of(notNeeded);
            }
            case FORCED -> {
                if (blocked) {
                    return Optional.of(new RefreshOutcome(RefreshOutcome.Result.REFUSED, status));
                }
                boolean refreshedSinceAsked = status.obtainedAt() != null && status.obtainedAt().isAfter(request.requestedAt());
                return refreshedSinceAsked ? Optional.of(notNeeded) : Optional.empty();
            }
            case RETRY -> {
                boolean resumable = status.state() == RefreshState.STOPPED || status.state() == RefreshState.PAUSED
                        || status.state() == RefreshState.RETRYING;
                return resumable ? Optional.empty() : Optional.of(notNeeded);
            }
            case SECRET_CHANGED -> {
                boolean needsCall = status.state() == RefreshState.STOPPED || status.state() == RefreshState.PAUSED
                        || status.state() == RefreshState.RETRYING || !tokenOfThisAppid;
                return needsCall ? Optional.empty() : Optional.of(notNeeded);
            }
            default -> throw new IllegalStateException("unknown trigger " + request.trigger());
        }
    }

    /**
     * WeChat answered {@code answer} for {@code appid} at {@code now}, valid until {@code expiresAt}. The held token
     * again (same value and sequence, same AppID) is not a refresh; anything else is a new token with sequence
     * {@code fence}.
     */
    AfterAnswer afterAnswer(RefreshRequest request, RefreshStatus status, CatalogEntry entry, HeldToken held,
                            String appid, String answer, Instant expiresAt, Instant now, long fence, boolean wasForced) {
        if (holds(status, held, answer) && appid.equals(status.appid())) {
            RefreshStatus resting = resting(status, entry.mode(), expiresAt, now);
            RefreshTrigger trigger = request.trigger();
            if (entry.mode() == TokenMode.STABLE && !wasForced
                    && (trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED)) {
                int reserved = trigger == RefreshTrigger.FORCED ? 0 : properties.forceRefreshOperatorReserve();
                return new ForceRefresh(reserved, resting);
            }
            return new KeepHeld(resting);
        }
        Instant nextRefresh = timings.nextRefresh(entry.mode(), now, expiresAt);
        CurrentToken token = new CurrentToken(entry.upstreamId(), fence, appid, answer, expiresAt, now,
                timings.guaranteedUntil(entry.mode(), now, expiresAt, nextRefresh));
        RefreshStatus refreshed = new RefreshStatus(RefreshState.OK, fence, appid, expiresAt, now, nextRefresh,
                request.trigger().label(), null, null, instanceId, 0, now);
        return new Store(token, refreshed);
    }

    /** Upstream returned the token already held: the next attempt waits until a new one can be had. */
    private RefreshStatus resting(RefreshStatus status, TokenMode mode, Instant expiresAt, Instant now) {
        Instant next = timings.afterSameToken(mode, now, expiresAt, 1);
        return new RefreshStatus(RefreshState.OK, status.sequence(), status.appid(), expiresAt, status.obtainedAt(),
                next, status.lastTrigger(), null, null, status.refreshedBy(), 0, now);
    }

    /**
     * The status a failed call leads to, by its policy: RETRYING with one more attempt and the next backoff, PAUSED
     * until {@code nextQuotaDay} (needed only for PAUSE and QUOTA_GUARD), or STOPPED until an operator acts. The
     * token held, its sequence and expiry stay; a retry comes before the held token of a credential in {@code mode}
     * (null when unknown) stops being served.
     */
    RefreshStatus afterFailure(RefreshStatus status, UpstreamFailure failure, RefreshTrigger trigger, TokenMode mode,
                               Instant now, Instant nextQuotaDay) {
        LastError error = new LastError(failure.errcode(), failure.message(), failure.policy(), failure.ip(), now);
        return switch (failure.policy()) {
            case RETRY -> {
                int attempt = status.attempt() + 1;
                yield new RefreshStatus(RefreshState.RETRYING, status.sequence(), status.appid(), status.expiresAt(),
                        status.obtainedAt(), timings.retryAt(now, attempt, failure.nextMinute(), usableUntil(status, mode)),
                        trigger.label(), error, null, status.refreshedBy(), attempt, now);
            }
            case PAUSE, QUOTA_GUARD -> new RefreshStatus(RefreshState.PAUSED, status.sequence(), status.appid(),
                    status.expiresAt(), status.obtainedAt(), nextQuotaDay, trigger.label(), error, nextQuotaDay,
                    status.refreshedBy(), 0, now);
            case STOP -> new RefreshStatus(RefreshState.STOPPED, status.sequence(), status.appid(), status.expiresAt(),
                    status.obtainedAt(), null, trigger.label(), error, null, status.refreshedBy(), 0, now);
        };
    }

    /**
     * Whether what is left of the lock lease covers one upstream call and the writes after it; if not, the failure to
     * record instead of calling (a call now could outlive the lease, and a fetch by the next holder).
     */
    static Optional<UpstreamFailure> leaseTooShort(Duration leaseLeft, Duration needed) {
        if (leaseLeft.compareTo(needed) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamFailure(ErrcodePolicy.RETRY, null, "not called: only " + leaseLeft.toMillis()
                + " ms of the lock lease were left, " + needed.toMillis() + " ms needed", null, false));
    }

    /** The failure recorded when automatic calls reached the quota guard's share of the endpoint's daily limit. */
    UpstreamFailure quotaGuard(TokenMode mode, long dailyLimit) {
        return new UpstreamFailure(ErrcodePolicy.QUOTA_GUARD, null, "automatic calls stopped at "
                + Math.round(properties.quotaGuardShare() * 100) + "% of the daily limit of " + dailyLimit + " "
                + mode.endpoint().path() + " calls", null, false);
    }

    /** The failure recorded for anything outside the policy table (a Redis timeout, a damaged value, a bug). */
    static UpstreamFailure insideTokenCenter(String detail) {
        return new UpstreamFailure(ErrcodePolicy.RETRY, null, "refresh failed inside the token center: " + detail, null,
                false);
    }

    private Instant usableUntil(RefreshStatus status, TokenMode mode) {
        return status.expiresAt() == null || mode == null ? null : status.expiresAt().minus(properties.minimumLifetimeFor(mode));
    }

    /** When an attempt that could not even record its failure may run again on this instance. */
    Instant unrecordedRetryAt(RefreshStatus status, Instant now) {
        return timings.retryAt(now, status.attempt() + 1, false);
    }

    /** Stopped, or paused until a moment still ahead: no call, whoever asks (except an operator's retry). */
    static boolean isBlocked(RefreshStatus status, Instant now) {
        return status.state() == RefreshState.STOPPED
                || status.state() == RefreshState.PAUSED && status.pausedUntil() != null && status.pausedUntil().isAfter(now);
    }

    /** Whether the scheduler should call upstream for this credential now. */
    static boolean isDue(RefreshStatus status, CatalogEntry entry, Instant now) {
        if (status.state() == RefreshState.STOPPED) {
            return false;
        }
        if (status.state() == RefreshState.PAUSED) {
            return status.pausedUntil() == null || !status.pausedUntil().isAfter(now);
        }
        if (status.hasToken() && !entry.appid().equals(status.appid())) {
            return true;
        }
        return status.nextRefreshAt() == null || !status.nextRefreshAt().isAfter(now);
    }

    /** Whether {@code candidate} is the token held under the status's sequence (compared in constant time). */
    static boolean holds(RefreshStatus status, HeldToken held, String candidate) {
        if (candidate == null || !status.hasToken()) {
            return false;
        }
        Optional<CurrentToken> token = held.read();
        return token.isPresent() && token.get().sequence() == status.sequence()
                && sameValue(token.get().accessToken(), candidate);
    }

    static boolean sameValue(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
