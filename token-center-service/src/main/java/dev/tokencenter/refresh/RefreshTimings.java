package dev.tokencenter.refresh;

import dev.tokencenter.registry.TokenMode;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to call upstream, per mode:
 * <ul>
 *   <li>classic: every call returns a new token, so refresh when max(lead fraction of the lifetime, minimum lead) is
 *       left (at most half the lifetime), up to {@code jitter} earlier;</li>
 *   <li>stable: a normal call returns the same token until it is inside WeChat's rotation window, so refresh when
 *       {@code stable-lead} is left (inside the window), up to {@code jitter} later, never below the minimum lifetime;</li>
 *   <li>WeCom: {@code gettoken} returns the same token until it expires, so refresh just after expiry.</li>
 * </ul>
 * Retryable failures back off exponentially with jitter, bounded by {@code retry-max-backoff}.
 */
@Component
class RefreshTimings {

    private final RefreshProperties properties;

    RefreshTimings(RefreshProperties properties) {
        this.properties = properties;
    }

    /** The next refresh of a token just obtained (never sooner than one initial backoff after obtaining it). */
    Instant nextRefresh(TokenMode mode, Instant obtainedAt, Instant expiresAt) {
        Instant planned = planned(mode, obtainedAt, expiresAt);
        Instant floor = obtainedAt.plus(properties.retryInitialBackoff());
        return planned.isBefore(floor) ? floor : planned;
    }

    private Instant planned(TokenMode mode, Instant obtainedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(obtainedAt, expiresAt);
        return switch (mode) {
            case CLASSIC -> {
                Duration lead = max(Duration.ofMillis((long) (lifetime.toMillis() * properties.leadFraction())),
                        properties.minimumLead());
                lead = min(lead, lifetime.dividedBy(2));
                yield expiresAt.minus(lead).minus(random(properties.jitter()));
            }
            case STABLE -> expiresAt.minus(properties.stableLead()).plus(random(properties.jitter()));
            case WECOM -> expiresAt.plus(properties.wecomRolloverDelay());
        };
    }

    /**
     * How long a token just obtained is sure to work, less a margin for clocks and transit: classic and WeCom tokens
     * until the earlier of their expiry and the next refresh plus WeChat's grace for the previous token (every
     * classic fetch ends the previous token that long after it); stable tokens until their expiry (a normal call
     * never ends the previous token). The margin never exceeds the mode's minimum lifetime.
     */
    Instant guaranteedUntil(TokenMode mode, Instant obtainedAt, Instant expiresAt, Instant nextRefresh) {
        Instant end = expiresAt;
        if (mode != TokenMode.STABLE) {
            Instant superseded = nextRefresh.plus(properties.classicGracePeriod());
            end = superseded.isBefore(expiresAt) ? superseded : expiresAt;
        }
        Instant guaranteed = end.minus(min(properties.advertiseMargin(), properties.minimumLifetimeFor(mode)));
        return guaranteed.isBefore(obtainedAt) ? obtainedAt : guaranteed;
    }

    /**
     * The next attempt after upstream answered with the token already held (stable outside its rotation window, WeCom
     * before expiry): no earlier than one initial backoff from now, so that such answers can never loop.
     */
    Instant afterSameToken(TokenMode mode, Instant now, Instant expiresAt, int sameTokenAnswers) {
        Instant planned = nextRefresh(mode, now, expiresAt);
        Instant floor = now.plus(backoff(Math.max(1, sameTokenAnswers)));
        return planned.isBefore(floor) ? floor : planned;
    }

    /** The next attempt after the {@code attempt}-th consecutive retryable failure. */
    Instant retryAt(Instant now, int attempt, boolean waitForNextMinute) {
        Instant at = now.plus(backoff(attempt));
        if (waitForNextMinute) {
            Instant nextMinute = Instant.ofEpochSecond((now.getEpochSecond() / 60 + 1) * 60).plus(random(Duration.ofSeconds(1)));
            return at.isBefore(nextMinute) ? nextMinute : at;
        }
        return at;
    }

    /**
     * The same, but while the held token is still usable no later than one initial backoff before it stops being
     * served ({@code usableUntil}): a long backoff must not let a token lapse that one more attempt could have
     * replaced. One attempt at most is brought forward so; after it the backoff goes on.
     */
    Instant retryAt(Instant now, int attempt, boolean waitForNextMinute, Instant usableUntil) {
        Instant at = retryAt(now, attempt, waitForNextMinute);
        if (usableUntil == null || waitForNextMinute) {
            return at;
        }
        Instant lastChance = usableUntil.minus(properties.retryInitialBackoff());
        return at.isAfter(lastChance) && lastChance.isAfter(now.plus(properties.retryInitialBackoff())) ? lastChance : at;
    }

    /** Exponential backoff with "equal jitter": half the delay fixed, half random. */
    Duration backoff(int attempt) {
        long initial = properties.retryInitialBackoff().toMillis();
        long cap = properties.retryMaxBackoff().toMillis();
        long exponential = attempt >= 31 ? cap : Math.min(cap, initial << Math.max(0, attempt - 1));
        long half = exponential / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /**
     * Whether a call now could return a token other than {@code held}: classic always; stable only inside the rotation
     * window; WeCom only after expiry.
     */
    boolean newTokenObtainable(TokenMode mode, Instant now, Instant heldExpiresAt) {
        if (heldExpiresAt == null) {
            return true;
        }
        return switch (mode) {
            case CLASSIC -> true;
            case STABLE -> !heldExpiresAt.minus(properties.stableRotationWindow()).isAfter(now);
            case WECOM -> !heldExpiresAt.isAfter(now);
        };
    }

    private static Duration random(Duration bound) {
        long millis = bound.toMillis();
        return millis <= 0 ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(millis + 1));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
