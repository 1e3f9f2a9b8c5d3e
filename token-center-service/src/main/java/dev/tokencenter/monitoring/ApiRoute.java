package dev.tokencenter.monitoring;

/**
 * The routes whose requests {@link ApiRequestMeter} times, named by their templates: the token API and the
 * WeChat-compatible endpoints. Matched on the raw path with plain string checks, so that a request path never becomes
 * a label and classifying costs nothing worth measuring.
 */
enum ApiRoute {
    TOKEN("/v1/tokens/{tenant}/{app}/{env}"),
    INVALIDATE("/v1/tokens/{tenant}/{app}/{env}/invalidate"),
    JSAPI_TICKET("/v1/tokens/{tenant}/{app}/{env}/jsapi-ticket"),
    JSSDK_SIGNATURE("/v1/jssdk/{tenant}/{app}/{env}/signature"),
    COMPAT_TOKEN("/cgi-bin/token"),
    COMPAT_STABLE_TOKEN("/cgi-bin/stable_token"),
    COMPAT_WECOM_TOKEN("/cgi-bin/gettoken");

    private static final String TOKENS = "/v1/tokens/";
    private static final String JSSDK = "/v1/jssdk/";

    private final String template;

    ApiRoute(String template) {
        this.template = template;
    }

    String template() {
        return template;
    }

    /** The route of a request path, or null for paths that are none of these (they are not timed). */
    static ApiRoute of(String path) {
        if (path.startsWith(TOKENS)) {
            return switch (segmentsAfter(path, TOKENS.length())) {
                case 3 -> TOKEN;
                case 4 -> path.endsWith("/invalidate") ? INVALIDATE : path.endsWith("/jsapi-ticket") ? JSAPI_TICKET : null;
                default -> null;
            };
        }
        if (path.startsWith(JSSDK)) {
            return segmentsAfter(path, JSSDK.length()) == 4 && path.endsWith("/signature") ? JSSDK_SIGNATURE : null;
        }
        return switch (path) {
            case "/cgi-bin/token" -> COMPAT_TOKEN;
            case "/cgi-bin/stable_token" -> COMPAT_STABLE_TOKEN;
            case "/cgi-bin/gettoken" -> COMPAT_WECOM_TOKEN;
            default -> null;
        };
    }

    /** How many non-empty '/'-separated segments follow {@code start}; -1 when one is empty. */
    private static int segmentsAfter(String path, int start) {
        int segments = 0;
        int segmentStart = start;
        for (int i = start; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                if (i == segmentStart) {
                    return -1;
                }
                segments++;
                segmentStart = i + 1;
            }
        }
        return segments;
    }
}
