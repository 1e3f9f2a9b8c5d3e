package dev.tokencenter.simulator;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mini program one-time codes and user sessions: {@code wx.login()} codes (exchanged at
 * {@code /sns/jscode2session}), phone-number codes (redeemed at {@code getuserphonenumber}) and the current
 * session_key of each (appid, openid). Codes live {@code codeLifetime} and can be used once.
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
     * A new login: the user gets a fresh session_key (it becomes the current one for checksession at once)
     * and a code that yields it.
     */
    LoginCode mintLogin(String appid, String openid, String unionid) {
        String sessionKey = RandomIds.sessionKey();
        sessionKeys.put(new SessionId(appid, openid), sessionKey);
        LoginEntry entry = new LoginEntry(appid, openid, unionid, sessionKey);
        String code = putUnique(loginCodes, RandomIds::loginCode, new OneTimeCode<>(entry, appid, expiry()));
        return new LoginCode(code, sessionKey);
    }

    String mintPhone(String appid, String phoneNumber, String purePhoneNumber, String countryCode) {
        PhoneEntry entry = new PhoneEntry(appid, phoneNumber, purePhoneNumber, countryCode);
        return putUnique(phoneCodes, RandomIds::phoneCode, new OneTimeCode<>(entry, appid, expiry()));
    }

    Redemption<LoginEntry> redeemLogin(String appid, String code) {
        return redeem(loginCodes, appid, code);
    }

    Redemption<PhoneEntry> redeemPhone(String appid, String code) {
        return redeem(phoneCodes, appid, code);
    }

    Optional<String> currentSessionKey(String appid, String openid) {
        return Optional.ofNullable(sessionKeys.get(new SessionId(appid, openid)));
    }

    /** Unknown, foreign or expired code: 40029; already used: 40163. */
    private <T> Redemption<T> redeem(ConcurrentHashMap<String, OneTimeCode<T>> codes, String appid, String code) {
        OneTimeCode<T> found = codes.get(code);
        if (found == null || !found.appid.equals(appid)) {
            return new Redemption<>(ErrorCatalog.INVALID_CODE, null);
        }
        if (found.used.get()) {
            return new Redemption<>(ErrorCatalog.CODE_BEEN_USED, null);
        }
        if (!clock.now().isBefore(found.expiresAt)) {
            return new Redemption<>(ErrorCatalog.INVALID_CODE, null);
        }
        if (!found.used.compareAndSet(false, true)) {
            return new Redemption<>(ErrorCatalog.CODE_BEEN_USED, null);
        }
        return new Redemption<>(0, found.entry);
    }

    private Instant expiry() {
        return clock.now().plus(settings.codeLifetime());
    }

    private static <T> String putUnique(ConcurrentHashMap<String, OneTimeCode<T>> codes,
                                        java.util.function.Supplier<String> generator, OneTimeCode<T> value) {
        String code;
        do {
            code = generator.get();
        } while (codes.putIfAbsent(code, value) != null);
        return code;
    }
}
