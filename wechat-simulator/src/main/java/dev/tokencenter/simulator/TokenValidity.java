package dev.tokencenter.simulator;

import java.time.Instant;

/**
 * What the simulator knows about an access token right now.
 *
 * @param valid     whether a call using the token would be accepted now
 * @param appid     the appid (or WeCom corp id) it was issued to, {@code null} if the token is unknown
 * @param expiresAt when it stops (or stopped) being valid: its natural expiry, or earlier when it was
 *                  superseded, force-refreshed or invalidated; {@code null} if unknown
 */
public record TokenValidity(boolean valid, String appid, Instant expiresAt) {

    static TokenValidity unknown() {
        return new TokenValidity(false, null, null);
    }
}
