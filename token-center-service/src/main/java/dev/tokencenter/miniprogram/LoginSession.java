package dev.tokencenter.miniprogram;

import java.time.Instant;

/**
 * A user's login as the center keeps it: the WeChat session_key (sealed whenever it leaves memory) under an opaque
 * session id, bound to one environment. {@link #toString()} never shows the session_key.
 *
 * @param unionid null unless WeChat answered one
 */
record LoginSession(String sessionId, MiniProgramApp app, String openid, String unionid, String sessionKey,
                    Instant expiresAt) {

    @Override
    public String toString() {
        return "LoginSession[" + app.key() + ", expiresAt=" + expiresAt + ", session_key hidden]";
    }
}
