package dev.tokencenter.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable behaviour settings of the simulator. Defaults are WeChat's real values; tests compress the
 * lifetimes with the {@code withX} copies.
 *
 * @param tokenLifetime           lifetime of classic, stable and WeCom access tokens (WeChat: 7200 s)
 * @param classicGracePeriod      how long the previous classic token stays valid after a new fetch (300 s)
 * @param stableRotationWindow    a stable normal call returns the same token while more than this is left (300 s)
 * @param classicDailyQuota       {@code /cgi-bin/token} calls per appid per quota day, 45009 beyond (2000)
 * @param stableDailyQuota        {@code /cgi-bin/stable_token} calls per appid per quota day, 45009 beyond (500,000)
 * @param stableMinuteQuota       {@code /cgi-bin/stable_token} calls per appid per clock minute, 45011 beyond (10,000)
 * @param forceRefreshDailyLimit  successful {@code force_refresh:true} refreshes per appid per quota day (20)
 * @param forceRefreshMinInterval a force call closer than this to the previous force refresh does not refresh (30 s)
 * @param codeLifetime            lifetime of login codes and phone-number codes (5 min)
 * @param ticketLifetime          lifetime of JS-SDK / card tickets (7200 s)
 * @param clearQuotaMonthlyLimit  {@code clear_quota} (v1 + v2) uses per appid per month, 48006 beyond (10)
 * @param otherApiDailyQuota      daily limit that {@code openapi/quota/get} reports for non-token APIs (not enforced)
 * @param hangDuration            how long a {@code hang} fault holds the exchange before dropping it (10 min)
 */
public record SimulatorSettings(
        Duration tokenLifetime,
        Duration classicGracePeriod,
        Duration stableRotationWindow,
        long classicDailyQuota,
        long stableDailyQuota,
        long stableMinuteQuota,
        int forceRefreshDailyLimit,
        Duration forceRefreshMinInterval,
        Duration codeLifetime,
        Duration ticketLifetime,
        int clearQuotaMonthlyLimit,
        long otherApiDailyQuota,
        Duration hangDuration) {

    public SimulatorSettings {
        requirePositive(tokenLifetime, "tokenLifetime");
        requireNotNegative(classicGracePeriod, "classicGracePeriod");
        requireNotNegative(stableRotationWindow, "stableRotationWindow");
        requireNotNegative(forceRefreshMinInterval, "forceRefreshMinInterval");
        requirePositive(codeLifetime, "codeLifetime");
        requirePositive(ticketLifetime, "ticketLifetime");
        requireNotNegative(hangDuration, "hangDuration");
        if (classicDailyQuota < 0 || stableDailyQuota < 0 || stableMinuteQuota < 0 || forceRefreshDailyLimit < 0
                || clearQuotaMonthlyLimit < 0 || otherApiDailyQuota < 0) {
            throw new IllegalArgumentException("quotas and limits must not be negative");
        }
    }

    /** WeChat's real values. */
    public static SimulatorSettings defaults() {
        return new SimulatorSettings(
                Duration.ofSeconds(7200),
                Duration.ofSeconds(300),
                Duration.ofSeconds(300),
                2000,
                500_000,
                10_000,
                20,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(7200),
                10,
                1_000_000,
                Duration.ofMinutes(10));
    }

    public SimulatorSettings withTokenLifetime(Duration value) {
        return new SimulatorSettings(value, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withClassicGracePeriod(Duration value) {
        return new SimulatorSettings(tokenLifetime, value, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withStableRotationWindow(Duration value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, value, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withClassicDailyQuota(long value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, value,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withStableDailyQuota(long value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                value, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withStableMinuteQuota(long value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, value, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withForceRefreshDailyLimit(int value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, value, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withForceRefreshMinInterval(Duration value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, value, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withCodeLifetime(Duration value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, value,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withTicketLifetime(Duration value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                value, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withClearQuotaMonthlyLimit(int value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, value, otherApiDailyQuota, hangDuration);
    }

    public SimulatorSettings withOtherApiDailyQuota(long value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, value, hangDuration);
    }

    public SimulatorSettings withHangDuration(Duration value) {
        return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
