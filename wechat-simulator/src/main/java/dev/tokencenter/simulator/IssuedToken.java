package dev.tokencenter.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One access token the simulator handed out. It dies at its natural expiry, or earlier when "killed":
 * superseded by a newer classic fetch (after the grace period), force-refreshed, or invalidated.
 */
final class IssuedToken {

    enum Kind { CLASSIC, STABLE, WECOM }

    enum KillReason { SUPERSEDED, FORCE_REFRESHED, INVALIDATED }

    enum Status { VALID, EXPIRED, KILLED }

    final String value;
    final String appid;
    /** WeCom: which of the corp's apps (one per corp secret) the token belongs to; {@code null} on WeChat. */
    final String app;
    final Kind kind;
    final Instant issuedAt;
    final Instant expiresAt;

    private Instant killedAt;
    private KillReason killReason;

    IssuedToken(String value, String appid, String app, Kind kind, Instant issuedAt, Instant expiresAt) {
        this.value = value;
        this.appid = appid;
        this.app = app;
        this.kind = kind;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    Platform platform() {
        return kind == Kind.WECOM ? Platform.WECOM : Platform.WECHAT;
    }

    /** Schedules the token's death at {@code when} unless it already dies earlier. */
    synchronized void killAt(Instant when, KillReason reason) {
        if (killedAt == null || when.isBefore(killedAt)) {
            killedAt = when;
            killReason = reason;
        }
    }

    synchronized Status statusAt(Instant now) {
        if (killedAt != null && !now.isBefore(killedAt) && killedAt.isBefore(expiresAt)) {
            return Status.KILLED;
        }
        return now.isBefore(expiresAt) ? Status.VALID : Status.EXPIRED;
    }

    synchronized KillReason killReason() {
        return killReason;
    }

    /** When it stops (or stopped) being valid. */
    synchronized Instant validUntil() {
        return killedAt != null && killedAt.isBefore(expiresAt) ? killedAt : expiresAt;
    }

    /** Whole seconds left before its natural expiry (what {@code expires_in} reports). */
    long secondsLeft(Instant now) {
        return Math.max(0, Duration.between(now, expiresAt).getSeconds());
    }
}
