package dev.tokencenter.simulator;

/**
 * The outcome of checking the {@code access_token} of an API call, with the errcode WeChat (or WeCom) would
 * answer: 41001 missing; 40001 unknown, superseded, force-refreshed or invalidated on WeChat; 40014 unknown
 * or invalidated on WeCom; 42001 expired.
 */
record TokenCheck(int errcode, IssuedToken token) {

    boolean ok() {
        return errcode == 0;
    }

    static TokenCheck evaluate(String value, IssuedToken token, Platform endpointPlatform, java.time.Instant now) {
        if (value == null || value.isEmpty()) {
            return new TokenCheck(ErrorCatalog.ACCESS_TOKEN_MISSING, null);
        }
        if (token == null || token.platform() != endpointPlatform) {
            return new TokenCheck(unknownToken(endpointPlatform), null);
        }
        return switch (token.statusAt(now)) {
            case VALID -> new TokenCheck(0, token);
            case EXPIRED -> new TokenCheck(ErrorCatalog.ACCESS_TOKEN_EXPIRED, token);
            case KILLED -> new TokenCheck(unknownToken(endpointPlatform), token);
        };
    }

    private static int unknownToken(Platform platform) {
        return platform == Platform.WECOM ? ErrorCatalog.INVALID_ACCESS_TOKEN : ErrorCatalog.INVALID_CREDENTIAL;
    }
}
