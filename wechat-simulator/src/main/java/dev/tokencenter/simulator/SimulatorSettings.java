package dev.tokencenter.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Immutable behaviour settings of the simulator. Defaults are WeChat's real values; tests compress the
 * lifetimes with the {@code withX} copies.
 *
 * @param tokenLifetime             lifetime of classic, stable and WeCom access tokens (WeChat: 7200 s)
 * @param classicGracePeriod        how long the previous classic token stays valid after a new fetch (300 s)
 * @param stableRotationWindow      a stable normal call returns the same token while more than this is left (300 s)
 * @param classicDailyQuota         {@code /cgi-bin/token} calls per appid per quota day, 45009 beyond (2000)
 * @param stableDailyQuota          {@code /cgi-bin/stable_token} calls per appid per quota day, 45009 beyond (500,000)
 * @param stableMinuteQuota         {@code /cgi-bin/stable_token} calls per appid per clock minute, 45011 beyond
 *                                  (10,000)
 * @param forceRefreshDailyLimit    successful {@code force_refresh:true} refreshes per appid per quota day (20)
 * @param forceRefreshMinInterval   a force call closer than this to the previous force refresh does not refresh (30 s)
 * @param codeLifetime              lifetime of login codes and phone-number codes (5 min)
 * @param ticketLifetime            lifetime of JS-SDK / card tickets (7200 s)
 * @param clearQuotaMonthlyLimit    {@code clear_quota} (v1 + v2) uses per appid per month, 48006 beyond (10)
 * @param otherApiDailyQuota        daily limit that {@code openapi/quota/get} reports for non-token APIs (not enforced)
 * @param hangDuration              how long a {@code hang} fault holds the exchange before dropping it (10 min)
 * @param loginUserMinuteLimit      {@code jscode2session} calls per user (appid, openid) per clock minute, 45011
 *                                  beyond (100)
 * @param phoneNumberMinuteQuota    {@code getuserphonenumber} calls per appid per clock minute, 45011 beyond
 *                                  (10,000; WeChat publishes no figure)
 * @param phoneCountryCodeAsNumber  {@code phone_info.countryCode} as a JSON number ({@code 86}) instead of the
 *                                  documented string ({@code "86"}); WeChat's examples show both (false)
 * @param wecomCorpTicketHourlyLimit WeCom ticket calls per corp per clock hour and ticket kind, 45009 beyond (400)
 * @param wecomAppTicketHourlyLimit  WeCom ticket calls per app (corp secret) per clock hour and ticket kind, 45009
 *                                   beyond (100)
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
        Duration hangDuration,
        long loginUserMinuteLimit,
        long phoneNumberMinuteQuota,
        boolean phoneCountryCodeAsNumber,
        long wecomCorpTicketHourlyLimit,
        long wecomAppTicketHourlyLimit) {

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
        if (loginUserMinuteLimit < 1 || phoneNumberMinuteQuota < 1 || wecomCorpTicketHourlyLimit < 1
                || wecomAppTicketHourlyLimit < 1) {
            throw new IllegalArgumentException("per-user, phone-number and WeCom ticket limits must be at least 1");
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
                Duration.ofMinutes(10),
                100,
                10_000,
                false,
                400,
                100);
    }

    public SimulatorSettings withTokenLifetime(Duration value) {
        return with(draft -> draft.tokenLifetime = value);
    }

    public SimulatorSettings withClassicGracePeriod(Duration value) {
        return with(draft -> draft.classicGracePeriod = value);
    }

    public SimulatorSettings withStableRotationWindow(Duration value) {
        return with(draft -> draft.stableRotationWindow = value);
    }

    public SimulatorSettings withClassicDailyQuota(long value) {
        return with(draft -> draft.classicDailyQuota = value);
    }

    public SimulatorSettings withStableDailyQuota(long value) {
        return with(draft -> draft.stableDailyQuota = value);
    }

    public SimulatorSettings withStableMinuteQuota(long value) {
        return with(draft -> draft.stableMinuteQuota = value);
    }

    public SimulatorSettings withForceRefreshDailyLimit(int value) {
        return with(draft -> draft.forceRefreshDailyLimit = value);
    }

    public SimulatorSettings withForceRefreshMinInterval(Duration value) {
        return with(draft -> draft.forceRefreshMinInterval = value);
    }

    public SimulatorSettings withCodeLifetime(Duration value) {
        return with(draft -> draft.codeLifetime = value);
    }

    public SimulatorSettings withTicketLifetime(Duration value) {
        return with(draft -> draft.ticketLifetime = value);
    }

    public SimulatorSettings withClearQuotaMonthlyLimit(int value) {
        return with(draft -> draft.clearQuotaMonthlyLimit = value);
    }

    public SimulatorSettings withOtherApiDailyQuota(long value) {
        return with(draft -> draft.otherApiDailyQuota = value);
    }

    public SimulatorSettings withHangDuration(Duration value) {
        return with(draft -> draft.hangDuration = value);
    }

    public SimulatorSettings withLoginUserMinuteLimit(long value) {
        return with(draft -> draft.loginUserMinuteLimit = value);
    }

    public SimulatorSettings withPhoneNumberMinuteQuota(long value) {
        return with(draft -> draft.phoneNumberMinuteQuota = value);
    }

    public SimulatorSettings withPhoneCountryCodeAsNumber(boolean value) {
        return with(draft -> draft.phoneCountryCodeAsNumber = value);
    }

    public SimulatorSettings withWecomCorpTicketHourlyLimit(long value) {
        return with(draft -> draft.wecomCorpTicketHourlyLimit = value);
    }

    public SimulatorSettings withWecomAppTicketHourlyLimit(long value) {
        return with(draft -> draft.wecomAppTicketHourlyLimit = value);
    }

    private SimulatorSettings with(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** A mutable copy, so that each {@code withX} names only the one value it changes. */
    private static final class Draft {
        Duration tokenLifetime;
        Duration classicGracePeriod;
        Duration stableRotationWindow;
        long classicDailyQuota;
        long stableDailyQuota;
        long stableMinuteQuota;
        int forceRefreshDailyLimit;
        Duration forceRefreshMinInterval;
        Duration codeLifetime;
        Duration ticketLifetime;
        int clearQuotaMonthlyLimit;
        long otherApiDailyQuota;
        Duration hangDuration;
        long loginUserMinuteLimit;
        long phoneNumberMinuteQuota;
        boolean phoneCountryCodeAsNumber;
        long wecomCorpTicketHourlyLimit;
        long wecomAppTicketHourlyLimit;

        Draft(SimulatorSettings s) {
            tokenLifetime = s.tokenLifetime;
            classicGracePeriod = s.classicGracePeriod;
            stableRotationWindow = s.stableRotationWindow;
            classicDailyQuota = s.classicDailyQuota;
            stableDailyQuota = s.stableDailyQuota;
            stableMinuteQuota = s.stableMinuteQuota;
            forceRefreshDailyLimit = s.forceRefreshDailyLimit;
            forceRefreshMinInterval = s.forceRefreshMinInterval;
            codeLifetime = s.codeLifetime;
            ticketLifetime = s.ticketLifetime;
            clearQuotaMonthlyLimit = s.clearQuotaMonthlyLimit;
            otherApiDailyQuota = s.otherApiDailyQuota;
            hangDuration = s.hangDuration;
            loginUserMinuteLimit = s.loginUserMinuteLimit;
            phoneNumberMinuteQuota = s.phoneNumberMinuteQuota;
            phoneCountryCodeAsNumber = s.phoneCountryCodeAsNumber;
            wecomCorpTicketHourlyLimit = s.wecomCorpTicketHourlyLimit;
            wecomAppTicketHourlyLimit = s.wecomAppTicketHourlyLimit;
        }

        SimulatorSettings build() {
            return new SimulatorSettings(tokenLifetime, classicGracePeriod, stableRotationWindow, classicDailyQuota,
                    stableDailyQuota, stableMinuteQuota, forceRefreshDailyLimit, forceRefreshMinInterval, codeLifetime,
                    ticketLifetime, clearQuotaMonthlyLimit, otherApiDailyQuota, hangDuration, loginUserMinuteLimit,
                    phoneNumberMinuteQuota, phoneCountryCodeAsNumber, wecomCorpTicketHourlyLimit,
                    wecomAppTicketHourlyLimit);
        }
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
