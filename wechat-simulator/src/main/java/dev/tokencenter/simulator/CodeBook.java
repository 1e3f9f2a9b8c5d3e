package dev.tokencenter.simulator;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Mini program one-time codes and user sessions: {@code wx.login()} codes (exchanged at
 * {@code /sns/jscode2session}), phone-number codes (redeemed at {@code getuserphonenumber}) and the current
 * session_key of each (appid, openid). Codes live {@code codeLifetime}, can be used once and are matched
 * exactly as issued.
 */
final class CodeBook {

    /** The outcome of redeeming a code: an errcode, or the entry on success. */
    record Redemption<T>(int errcode, T entry) {
        boolean ok() {
            return errcode == 0;
        }
    }

    record LoginEntry(String appid, String openid, String unionid, String sessionKey) {
    }

    record PhoneEntry(String appid, String phoneNumber, String purePhoneNumber, String countryCode) {
    }

    /** What WeChat answers for a code of another app, and for a code used before. */
    private record Refusals(int foreignApp, int alreadyUsed) {
    }

    /** jscode2session: another app's code is just an invalid code; a reused one is "code been used". */
    private static final Refusals LOGIN = new Refusals(ErrorCatalog.INVALID_CODE, ErrorCatalog.CODE_BEEN_USED);
    /** getuserphonenumber: another app's code is 40013; a used one is an invalid code like an expired one. */
    private static final Refusals PHONE = new Refusals(ErrorCatalog.INVALID_APPID, ErrorCatalog.INVALID_CODE);

    private record SessionId(String appid, String openid) {
    }

    private static final class OneTimeCode<T> {
        final T entry;
        final String appid;
        final Instant expiresAt;
        final AtomicBoolean used = new AtomicBoolean();

        OneTimeCode(T entry, String appid, Instant expiresAt) {
            this.entry = entry;
            this.appid = appid;
            this.expiresAt = expiresAt;
        }
    }

    private final SimulatorSettings settings;
    private final SimulatorClock clock;
    private final ConcurrentHashMap<String, OneTimeCode<LoginEntry>> loginCodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, OneTimeCode<PhoneEntry>> phoneCodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SessionId, String> sessionKeys = new ConcurrentHashMap<>();

    CodeBook(SimulatorSettings settings, SimulatorClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A new login: the user gets a fresh session_key, which replaces the previous one at once (a user has one
     * valid session_key at a time), and a code that yields it.
     */
    LoginCode mintLogin(String appid, String openid, String unionid) {
        String sessionKey = RandomIds.sessionKey();
        sessionKeys.put(new SessionId(appid, openid), sessionKey);
        LoginEntry entry = new LoginEntry(appid, openid, unionid, sessionKey);
        String code = putUnique(loginCodes, RandomIds::loginCode, new OneTimeCode<>(entry, appid, expiry()));
        return new LoginCode(code, sessionKey);
    }

    String mintPhone(String appid, String phoneNumber, String purePhoneNumber, String countryCode) {
        if (countryCode == null || !countryCode.matches("[0-9]{1,4}")) {
            throw new IllegalArgumentException("countryCode must be 1 to 4 digits, e.g. 86");
        }
        PhoneEntry entry = new PhoneEntry(appid, phoneNumber, purePhoneNumber, countryCode);
        return putUnique(phoneCodes, RandomIds::phoneCode, new OneTimeCode<>(entry, appid, expiry()));
    }

    /** The user a login code of this app was minted for (fresh, used or expired), if it is one. */
    Optional<String> loginOwner(String appid, String code) {
        OneTimeCode<LoginEntry> found = code == null ? null : loginCodes.get(code);
        return found == null || !found.appid.equals(appid) ? Optional.empty() : Optional.of(found.entry.openid());
    }

    /**
     * Redeems a login code. The session_key in the entry is the user's CURRENT one: a login minted after this
     * code replaced the one this code was minted with.
     */
    Redemption<LoginEntry> redeemLogin(String appid, String code) {
        Redemption<LoginEntry> redemption = redeem(loginCodes, appid, code, LOGIN);
        if (!redemption.ok()) {
            return redemption;
        }
        LoginEntry login = redemption.entry();
        String current = currentSessionKey(appid, login.openid()).orElse(login.sessionKey());
        return new Redemption<>(0, new LoginEntry(appid, login.openid(), login.unionid(), current));
    }

    Redemption<PhoneEntry> redeemPhone(String appid, String code) {
        return redeem(phoneCodes, appid, code, PHONE);
    }

    Optional<String> currentSessionKey(String appid, String openid) {
        return Optional.ofNullable(sessionKeys.get(new SessionId(appid, openid)));
    }

    /** Refuses a session_key that is not the current one of some user of {@code appid}. */
    void requireCurrentSessionKey(String appid, String sessionKey) {
        boolean current = sessionKeys.entrySet().stream()
                .anyMatch(session -> session.getKey().appid().equals(appid) && session.getValue().equals(sessionKey));
        if (!current) {
            throw new IllegalArgumentException("not the current session_key of any user of " + appid
                    + " (a newer login replaced it, or it was never issued)");
        }
    }

    /** Unknown or expired code: 40029; another app's or already used: per {@code refusals}. */
    private <T> Redemption<T> redeem(ConcurrentHashMap<String, OneTimeCode<T>> codes, String appid, String code,
                                     Refusals refusals) {
        OneTimeCode<T> found = codes.get(code);
        if (found == null) {
            return new Redemption<>(ErrorCatalog.INVALID_CODE, null);
        }
        if (!found.appid.equals(appid)) {
            return new Redemption<>(refusals.foreignApp(), null);
        }
        if (found.used.get()) {
            return new Redemption<>(refusals.alreadyUsed(), null);
        }
        if (!clock.now().isBefore(found.expiresAt)) {
            return new Redemption<>(ErrorCatalog.INVALID_CODE, null);
        }
        if (!found.used.compareAndSet(false, true)) {
            return new Redemption<>(refusals.alreadyUsed(), null);
        }
        return new Redemption<>(0, found.entry);
    }

    private Instant expiry() {
        return clock.now().plus(settings.codeLifetime());
    }

    private static <T> String putUnique(ConcurrentHashMap<String, OneTimeCode<T>> codes, Supplier<String> generator,
                                        OneTimeCode<T> value) {
        String code;
        do {
            code = generator.get();
        } while (codes.putIfAbsent(code, value) != null);
        return code;
    }
}
