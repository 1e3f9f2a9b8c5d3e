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

    /** A POST with a valid WeChat token and a JSON object body; {@code refusal} is set when it is not one. */
    record AuthorizedPost(TokenCheck check, Map<String, Object> body, SimResponse refusal) {

        static AuthorizedPost refused(int errcode) {
            return new AuthorizedPost(null, null, SimResponse.wechatError(errcode));
        }
    }

    /** The shared first steps of token-taking JSON POST endpoints: method, token, body (43002, 4xxxx, 47001). */
    static AuthorizedPost authorizedJsonPost(SimRequest request, SimulatorState state) {
        if (!request.isPost()) {
            return AuthorizedPost.refused(ErrorCatalog.REQUIRE_POST);
        }
        TokenCheck check = authorize(request, state, Platform.WECHAT);
        if (!check.ok()) {
            return AuthorizedPost.refused(check.errcode());
        }
        Map<String, Object> body = jsonBody(request);
        if (body == null) {
            return AuthorizedPost.refused(ErrorCatalog.DATA_FORMAT_ERROR);
        }
        return new AuthorizedPost(check, body, null);
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
