package dev.tokencenter.token;

import java.time.Instant;

/**
 * A token as handed to a granted client. {@code usableUntil} is the moment it must no longer be served
 * (its expiry less the configured minimum lifetime).
 */
public record IssuedToken(CredentialKey credential, String appid, String accessToken, Instant expiresAt, Instant usableUntil) {

    @Override
    public String toString() {
        return "IssuedToken[" + credential + ", appid=" + appid + ", expiresAt=" + expiresAt + "]";
    }
}
