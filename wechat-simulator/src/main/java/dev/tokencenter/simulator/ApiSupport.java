package dev.tokencenter.simulator;

import java.util.Map;

/** Shared steps of the endpoint handlers. */
final class ApiSupport {

    private ApiSupport() {
    }

    /**
     * Checks the {@code access_token} query parameter. On success the call is counted against the token
     * owner's daily usage of {@code request.path()} (reported by {@code openapi/quota/get}).
     */
    static TokenCheck authorize(SimRequest request, SimulatorState state, Platform platform) {
        TokenCheck check = state.tokens().check(request.param("access_token"), platform);
        if (check.ok()) {
            state.quotas().count(check.token().appid, request.path());
        }
        return check;
    }

    static SimResponse error(Platform platform, int errcode) {
        return platform == Platform.WECOM ? SimResponse.wecomError(errcode) : SimResponse.wechatError(errcode);
    }

    /** The JSON body, or {@code null} when it is not a JSON object (the caller answers 47001). */
    static Map<String, Object> jsonBody(SimRequest request) {
        try {
            return request.json();
        } catch (Json.BadJson e) {
            return null;
        }
    }

    /** The appid a call is about: query {@code appid}/{@code corpid}, JSON body {@code appid}, or token owner. */
    static String appidOf(SimRequest request, SimulatorState state) {
        String appid = request.param("appid");
        if (appid == null) {
            appid = request.param("corpid");
        }
        if (appid == null && request.body().length > 0) {
            appid = Json.text(request.jsonOrEmpty(), "appid");
        }
        if (appid == null) {
            appid = state.tokens().ownerOf(request.param("access_token"));
        }
        return appid;
    }
}
