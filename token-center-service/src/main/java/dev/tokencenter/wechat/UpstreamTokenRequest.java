package dev.tokencenter.wechat;

import java.util.Objects;

/** One token call. The secret is only ever held in memory for the call; {@link #toString()} never shows it. */
public record UpstreamTokenRequest(TokenEndpoint endpoint, String appid, String secret, boolean forceRefresh) {

    public UpstreamTokenRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(appid, "appid");
        Objects.requireNonNull(secret, "secret");
        if (forceRefresh && endpoint != TokenEndpoint.STABLE) {
            throw new IllegalArgumentException("force_refresh exists only for the stable token endpoint");
        }
    }

    @Override
    public String toString() {
        return "UpstreamTokenRequest[" + endpoint + ", appid=" + appid + ", forceRefresh=" + forceRefresh + "]";
    }
}
