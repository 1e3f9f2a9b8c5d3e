package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TokenEndpoint;

/** How a credential gets its tokens: decided by the app's platform and, for WeChat platforms, the environment's mode. */
public enum TokenMode {

    CLASSIC(TokenEndpoint.CLASSIC),
    STABLE(TokenEndpoint.STABLE),
    WECOM(TokenEndpoint.WECOM);

    private final TokenEndpoint endpoint;

    TokenMode(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public TokenEndpoint endpoint() {
        return endpoint;
    }

    static TokenMode of(String platform, String tokenMode) {
        if ("WECOM".equals(platform)) {
            return WECOM;
        }
        return "CLASSIC".equals(tokenMode) ? CLASSIC : STABLE;
    }
}
