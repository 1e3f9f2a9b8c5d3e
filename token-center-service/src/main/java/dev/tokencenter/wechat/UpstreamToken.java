package dev.tokencenter.wechat;

import java.time.Duration;

/** A token as WeChat answered it: the value and how long it has left. {@link #toString()} never shows the value. */
public record UpstreamToken(String accessToken, Duration expiresIn) {

    @Override
    public String toString() {
        return "UpstreamToken[expiresIn=" + expiresIn + "]";
    }
}
