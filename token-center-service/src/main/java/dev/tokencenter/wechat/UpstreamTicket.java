package dev.tokencenter.wechat;

import java.time.Duration;

/** A ticket as WeChat answered it. {@link #toString()} never shows the value. */
public record UpstreamTicket(String ticket, Duration expiresIn) {

    @Override
    public String toString() {
        return "UpstreamTicket[expiresIn=" + expiresIn + "]";
    }
}
