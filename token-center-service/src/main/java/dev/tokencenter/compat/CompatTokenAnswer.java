package dev.tokencenter.compat;

import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.TokenJson;

import java.time.Instant;

/** The body and caching header of a compatible endpoint's token answer, the same from the handler and the fast path. */
final class CompatTokenAnswer {

    static final String CACHE_CONTROL = "no-store";

    private CompatTokenAnswer() {
    }

    /** WeChat's {@code {"access_token","expires_in"}}, or WeCom's with {@code errcode} 0 and {@code errmsg} "ok". */
    static byte[] body(boolean wecom, IssuedToken token, Instant now) {
        long expiresIn = Math.max(1, TokenJson.secondsUntil(token.expiresAt(), now));
        return wecom ? TokenJson.wecom(token.accessToken(), expiresIn) : TokenJson.wechat(token.accessToken(), expiresIn);
    }
}
