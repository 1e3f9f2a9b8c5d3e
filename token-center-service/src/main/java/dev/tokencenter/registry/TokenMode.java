package dev.tokencenter.registry;

import dev.tokencenter.wechat.TokenEndpoint;

/**
 * How a credential gets its tokens: decided by the app's platform and, for WeChat platforms, the environment's
 * setting. An environment of a WeChat platform stores STABLE ({@code /cgi-bin/stable_token}, the default) or CLASSIC
 * ({@code /cgi-bin/token}); a WeCom app has no choice: WECOM ({@code /cgi-bin/gettoken}).
 */
public enum TokenMode {

    CLASSIC(TokenEndpoint.CLASSIC),
    STABLE(TokenEndpoint.STABLE),
    WECOM(TokenEndpoint.WECOM);

    private final TokenEndpoint endpoint;

    TokenMode(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The upstream call that issues this mode's tokens. */
    public TokenEndpoint endpoint() {
        return endpoint;
    }

    /** Whether an environment of a WeChat platform can be set to this mode. */
    boolean selectable() {
        return this != WECOM;
    }

    /** The mode of a credential, from its app's platform and its environment's stored {@code token_mode}. */
    public static TokenMode of(String platform, String storedMode) {
        if (Platform.WECOM.name().equals(platform)) {
            return WECOM;
        }
        return CLASSIC.name().equals(storedMode) ? CLASSIC : STABLE;
    }
}
