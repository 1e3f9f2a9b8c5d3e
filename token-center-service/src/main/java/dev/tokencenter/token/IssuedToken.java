package dev.tokencenter.token;

import dev.tokencenter.registry.CredentialKey;

import java.time.Instant;

/**
 * A token as handed to a granted client. {@code expiresAt} is what clients are told: when the token is known to stop
 * working (less a margin), which for classic and WeCom tokens is before WeChat's own expiry. {@code usableUntil} is
 * the moment it must no longer be served (WeChat's expiry less the configured minimum lifetime).
 */
public record IssuedToken(CredentialKey credential, String appid, String accessToken, Instant expiresAt, Instant usableUntil) {

    @Override
    public String toString() {
        return "IssuedToken[" + credential + ", appid=" + appid + ", expiresAt=" + expiresAt + "]";
    }
}
