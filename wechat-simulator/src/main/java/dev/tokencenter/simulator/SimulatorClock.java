package dev.tokencenter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The controllable clock behind ALL of the simulator's time logic (token expiry, grace periods, quota days,
 * code lifetimes, the 30 s force-refresh rule).
 *
 * <p>It ticks with the real clock plus an offset that only ever grows: {@link #advance(Duration)} jumps
 * forward without waiting. {@link #freeze()} stops it (for exact assertions) and {@link #unfreeze()} lets
 * it tick again from where it stood. Thread-safe.
 */
public final class SimulatorClock {

    /** WeChat's quota day is a calendar day in China Standard Time. */
    public static final ZoneOffset CHINA_STANDARD_TIME = ZoneOffset.ofHours(8);

    private final Clock base;
    private Duration offset = Duration.ZERO;
    private Instant frozenAt;

    /** A clock that follows the system clock until advanced. */
    public SimulatorClock() {
        this(Clock.systemUTC());
    }

    /** A clock that follows {@code base} until advanced. */
    public SimulatorClock(Clock base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    public synchronized Instant now() {
        return frozenAt != null ? frozenAt : base.instant().plus(offset);
    }

    /** Jumps forward by {@code amount} (must not be negative). */
    public synchronized void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("the simulator clock never goes back: " + amount);
        }
        if (frozenAt != null) {
            frozenAt = frozenAt.plus(amount);
        } else {
            offset = offset.plus(amount);
        }
    }

    /** Jumps forward to {@code instant} (must not be in the clock's past). */
    public synchronized void advanceTo(Instant instant) {
        advance(Duration.between(now(), instant));
    }

    /** Stops the clock at the current instant; {@link #advance(Duration)} still moves it. */
    public synchronized void freeze() {
        if (frozenAt == null) {
            frozenAt = now();
        }
    }

    /** Lets a frozen clock tick again, starting from the instant it showed. */
    public synchronized void unfreeze() {
        if (frozenAt != null) {
            offset = Duration.between(base.instant(), frozenAt);
            frozenAt = null;
        }
    }

    public synchronized boolean isFrozen() {
        return frozenAt != null;
    }

    /** The current quota day (calendar day in UTC+8). */
    public LocalDate quotaDay() {
        return LocalDate.ofInstant(now(), CHINA_STANDARD_TIME);
    }

    /** How long until the next quota day starts (midnight UTC+8). */
    public Duration untilNextQuotaDay() {
        Instant now = now();
        Instant next = LocalDate.ofInstant(now, CHINA_STANDARD_TIME).plusDays(1)
                .atStartOfDay(CHINA_STANDARD_TIME).toInstant();
        return Duration.between(now, next);
    }
}
