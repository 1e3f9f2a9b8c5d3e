package dev.tokencenter.wechat;

/**
 * What {@code jscode2session} answered: the user's openid, unionid (null unless the app is bound to an Open Platform
 * account) and session_key (base64 of 16 bytes, checked). {@link #toString()} never shows the session_key.
 */
public record UpstreamLoginSession(String openid, String unionid, String sessionKey) {

    @Override
    public String toString() {
        return "UpstreamLoginSession[openid=" + openid + ", unionid=" + unionid + ", session_key hidden]";
    }
}
