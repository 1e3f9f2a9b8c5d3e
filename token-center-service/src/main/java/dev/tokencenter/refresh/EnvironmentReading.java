package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;

import java.time.Duration;
import java.time.Instant;

/**
 * What monitoring shows of one environment's credential: never a secret or a token.
 *
 * @param key             tenant / app / env
 * @param enabled         disabled environments are not served
 * @param state           the shared refresh state of its upstream credential
 * @param servableUntil   when its current token must no longer be served (null when there is none)
 * @param minimumLifetime the minimum lifetime of its token mode (tokens are never served with less left)
 * @param quotaEndpoint   the path of the upstream call that issues its tokens
 * @param quotaUsed       calls of that endpoint counted today (quota day, UTC+8), shared by every environment of the
 *                        upstream credential
 * @param quotaLimit      the known daily limit of that endpoint (0: none configured)
 * @param errcode         the last failure's WeChat errcode, null when none or not a WeChat error
 */
public record EnvironmentReading(CredentialKey key, boolean enabled, RefreshState state, Instant servableUntil,
                                 Duration minimumLifetime, String quotaEndpoint, long quotaUsed, long quotaLimit,
                                 Integer errcode) {

    /** The same environment after its credential's status changed (as written by this instance). */
    public EnvironmentReading with(RefreshStatus status, String appid) {
        return new EnvironmentReading(key, enabled, status.state(), servableUntil(status, appid, minimumLifetime),
                minimumLifetime, quotaEndpoint, quotaUsed, quotaLimit,
                status.lastError() == null ? null : status.lastError().errcode());
    }

    /** Seconds until the current token must no longer be served, 0 when there is none (or it is past). */
    public long secondsLeft(Instant now) {
        return servableUntil == null || !servableUntil.isAfter(now) ? 0 : Duration.between(now, servableUntil).toSeconds();
    }

    static Instant servableUntil(RefreshStatus status, String appid, Duration minimumLifetime) {
        if (status == null || !status.hasToken() || appid == null || !appid.equals(status.appid())) {
            return null;
        }
        return status.expiresAt().minus(minimumLifetime);
    }
}
