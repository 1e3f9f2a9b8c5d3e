package dev.tokencenter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Issues and tracks access tokens with WeChat's three behaviours:
 * <ul>
 *   <li>classic ({@code /cgi-bin/token}): every call issues a new token; the previous one lives on for the
 *       grace period, then dies;</li>
 *   <li>stable ({@code /cgi-bin/stable_token}): the same token while more than the rotation window is left,
 *       then a new one (the old one lives to its own expiry); {@code force_refresh} kills the current one at
 *       once, limited per quota day and by a minimum interval;</li>
 *   <li>WeCom ({@code /cgi-bin/gettoken}): one token per (corp id, secret), the same until it dies.</li>
 * </ul>
 * Classic and stable tokens are separate: one never affects the other. Each appid's issuing is serialised.
 */
final class TokenIssuer {

    /** What a stable-token call produced: a token (new or current) or an errcode. */
    record StableGrant(int errcode, IssuedToken token) {
    }

    private static final int PRUNE_EVERY = 4096;
    private static final Duration KEEP_DEAD_TOKENS = Duration.ofDays(1);

    private final SimulatorSettings settings;
    private final SimulatorClock clock;
    private final ConcurrentHashMap<String, IssuedToken> byValue = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AppTokens> byApp = new ConcurrentHashMap<>();
    private final AtomicLong issuedSincePrune = new AtomicLong();

    TokenIssuer(SimulatorSettings settings, SimulatorClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    IssuedToken issueClassic(String appid) {
        AppTokens app = app(appid);
        synchronized (app) {
            Instant now = clock.now();
            IssuedToken fresh = issue(appid, null, IssuedToken.Kind.CLASSIC, now, RandomIds::wechatAccessToken);
            if (app.classic != null) {
                app.classic.killAt(now.plus(settings.classicGracePeriod()), IssuedToken.KillReason.SUPERSEDED);
            }
            app.classic = fresh;
            return fresh;
        }
    }

    StableGrant stable(String appid, boolean forceRefresh) {
        AppTokens app = app(appid);
        synchronized (app) {
            Instant now = clock.now();
            IssuedToken current = app.stable;
            boolean currentValid = current != null && current.statusAt(now) == IssuedToken.Status.VALID;
            if (forceRefresh) {
                boolean tooSoon = app.lastForceRefresh != null
                        && Duration.between(app.lastForceRefresh, now).compareTo(settings.forceRefreshMinInterval()) < 0;
                if (tooSoon && currentValid) {
                    return new StableGrant(0, current);
                }
                if (!tooSoon) {
                    LocalDate today = LocalDate.ofInstant(now, SimulatorClock.CHINA_STANDARD_TIME);
                    if (!today.equals(app.forceRefreshDay)) {
                        app.forceRefreshDay = today;
                        app.forceRefreshesToday = 0;
                    }
                    if (app.forceRefreshesToday >= settings.forceRefreshDailyLimit()) {
                        return new StableGrant(ErrorCatalog.DAILY_QUOTA, null);
                    }
                    app.forceRefreshesToday++;
                    app.lastForceRefresh = now;
                    if (current != null) {
                        current.killAt(now, IssuedToken.KillReason.FORCE_REFRESHED);
                    }
                    app.stable = issue(appid, null, IssuedToken.Kind.STABLE, now, RandomIds::wechatAccessToken);
                    return new StableGrant(0, app.stable);
                }
                // too soon after a force refresh, but the current token is gone: fall through to a normal issue
            }
            if (currentValid && Duration.between(now, current.expiresAt).compareTo(settings.stableRotationWindow()) > 0) {
                return new StableGrant(0, current);
            }
            app.stable = issue(appid, null, IssuedToken.Kind.STABLE, now, RandomIds::wechatAccessToken);
            return new StableGrant(0, app.stable);
        }
    }

    IssuedToken wecom(String corpid, String corpsecret) {
        AppTokens app = app(corpid);
        synchronized (app) {
            Instant now = clock.now();
            IssuedToken current = app.wecomBySecret.get(corpsecret);
            if (current != null && current.statusAt(now) == IssuedToken.Status.VALID && current.secondsLeft(now) > 0) {
                return current;
            }
            IssuedToken fresh = issue(corpid, app.wecomAppId(corpsecret), IssuedToken.Kind.WECOM, now,
                    RandomIds::wecomAccessToken);
            app.wecomBySecret.put(corpsecret, fresh);
            return fresh;
        }
    }

    TokenCheck check(String value, Platform endpointPlatform) {
        IssuedToken token = value == null ? null : byValue.get(value);
        return TokenCheck.evaluate(value, token, endpointPlatform, clock.now());
    }

    /** The appid a token belongs to, or {@code null} if unknown. */
    String ownerOf(String value) {
        IssuedToken token = value == null ? null : byValue.get(value);
        return token == null ? null : token.appid;
    }

    /** Kills a token at once, as WeChat sometimes does. Returns whether the token was known. */
    boolean invalidate(String value) {
        IssuedToken token = value == null ? null : byValue.get(value);
        if (token == null) {
            return false;
        }
        token.killAt(clock.now(), IssuedToken.KillReason.INVALIDATED);
        return true;
    }

    TokenValidity validity(String value) {
        IssuedToken token = value == null ? null : byValue.get(value);
        if (token == null) {
            return TokenValidity.unknown();
        }
        return new TokenValidity(token.statusAt(clock.now()) == IssuedToken.Status.VALID, token.appid, token.validUntil());
    }

    long issuedCount(String appid) {
        AppTokens app = byApp.get(appid);
        return app == null ? 0 : app.issued.get();
    }

    private IssuedToken issue(String appid, String wecomApp, IssuedToken.Kind kind, Instant now,
                              Supplier<String> generator) {
        Instant expiresAt = now.plus(settings.tokenLifetime());
        IssuedToken token;
        do {
            token = new IssuedToken(generator.get(), appid, wecomApp, kind, now, expiresAt);
        } while (byValue.putIfAbsent(token.value, token) != null);
        app(appid).issued.incrementAndGet();
        if (issuedSincePrune.incrementAndGet() % PRUNE_EVERY == 0) {
            pruneLongDead(now);
        }
        return token;
    }

    /** Forgets tokens dead for more than a day, so that long benchmarks do not grow without bound. */
    private void pruneLongDead(Instant now) {
        Instant cutoff = now.minus(KEEP_DEAD_TOKENS);
        byValue.values().removeIf(token -> token.validUntil().isBefore(cutoff));
    }

    private AppTokens app(String appid) {
        return byApp.computeIfAbsent(appid, id -> new AppTokens());
    }

    private static final class AppTokens {
        private final AtomicLong issued = new AtomicLong();
        private IssuedToken classic;
        private IssuedToken stable;
        private Instant lastForceRefresh;
        private LocalDate forceRefreshDay;
        private int forceRefreshesToday;
        private final Map<String, IssuedToken> wecomBySecret = new HashMap<>();
        private final Map<String, String> wecomAppIds = new HashMap<>();

        /** A stable label for the corp's app behind {@code corpsecret} (so that the secret is kept in one place). */
        String wecomAppId(String corpsecret) {
            return wecomAppIds.computeIfAbsent(corpsecret, secret -> "app-" + (wecomAppIds.size() + 1));
        }
    }
}
