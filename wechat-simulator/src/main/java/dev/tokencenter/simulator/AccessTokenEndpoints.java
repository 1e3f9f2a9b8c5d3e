package dev.tokencenter.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /cgi-bin/token} (classic), {@code /cgi-bin/stable_token} (stable) and WeCom's {@code /cgi-bin/gettoken}. */
final class AccessTokenEndpoints {

    static final String CLASSIC = "/cgi-bin/token";
    static final String STABLE = "/cgi-bin/stable_token";
    static final String WECOM = "/cgi-bin/gettoken";

    private AccessTokenEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                new Route(CLASSIC, Platform.WECHAT, AccessTokenEndpoints::classic),
                new Route(STABLE, Platform.WECHAT, AccessTokenEndpoints::stable),
                new Route(WECOM, Platform.WECOM, AccessTokenEndpoints::wecom));
    }

    static SimResponse classic(SimRequest request, SimulatorState state) {
        if (!"client_credential".equals(request.param("grant_type"))) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_GRANT_TYPE);
        }
        String appid = request.param("appid");
        String secret = request.param("secret");
        SimResponse rejection = checkCredentials(appid, secret, state);
        if (rejection != null) {
            return rejection;
        }
        SimulatorSettings settings = state.settings();
        if (state.quotas().tryConsume(appid, CLASSIC, settings.classicDailyQuota(), 0) != QuotaLedger.Verdict.OK) {
            return SimResponse.wechatError(ErrorCatalog.DAILY_QUOTA);
        }
        IssuedToken token = state.tokens().issueClassic(appid);
        return SimResponse.wechat(tokenBody(token, settings.tokenLifetime().getSeconds()));
    }

    static SimResponse stable(SimRequest request, SimulatorState state) {
        if (!request.isPost()) {
            return SimResponse.wechatError(ErrorCatalog.REQUIRE_POST);
        }
        Map<String, Object> body = ApiSupport.jsonBody(request);
        if (body == null) {
            return SimResponse.wechatError(ErrorCatalog.DATA_FORMAT_ERROR);
        }
        if (!"client_credential".equals(Json.text(body, "grant_type"))) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_GRANT_TYPE);
        }
        String appid = Json.text(body, "appid");
        String secret = Json.text(body, "secret");
        SimResponse rejection = checkCredentials(appid, secret, state);
        if (rejection != null) {
            return rejection;
        }
        SimulatorSettings settings = state.settings();
        switch (state.quotas().tryConsume(appid, STABLE, settings.stableDailyQuota(), settings.stableMinuteQuota())) {
            case MINUTE_LIMIT -> {
                return SimResponse.wechatError(ErrorCatalog.MINUTE_QUOTA);
            }
            case DAILY_LIMIT -> {
                return SimResponse.wechatError(ErrorCatalog.DAILY_QUOTA);
            }
            case OK -> {
            }
        }
        TokenIssuer.StableGrant grant = state.tokens().stable(appid, Json.flag(body, "force_refresh"));
        if (grant.errcode() != 0) {
            return SimResponse.wechatError(grant.errcode());
        }
        return SimResponse.wechat(tokenBody(grant.token(), grant.token().secondsLeft(state.clock().now())));
    }

    static SimResponse wecom(SimRequest request, SimulatorState state) {
        String corpid = request.param("corpid");
        String corpsecret = request.param("corpsecret");
        if (corpid == null) {
            return SimResponse.wecomError(ErrorCatalog.APPID_MISSING);
        }
        if (corpsecret == null) {
            return SimResponse.wecomError(ErrorCatalog.APPSECRET_MISSING);
        }
        switch (state.apps().check(corpid, corpsecret, Platform.WECOM)) {
            case UNKNOWN_APP -> {
                return SimResponse.wecomError(ErrorCatalog.INVALID_APPID);
            }
            case WRONG_SECRET -> {
                return SimResponse.wecomError(ErrorCatalog.INVALID_CREDENTIAL);
            }
            case OK -> {
            }
        }
        IssuedToken token = state.tokens().wecom(corpid, corpsecret);
        Map<String, Object> body = SimResponse.okBody();
        body.put("access_token", token.value);
        body.put("expires_in", token.secondsLeft(state.clock().now()));
        return SimResponse.wecom(body);
    }

    /** Missing appid 41002, missing secret 41004, unknown appid 40013, wrong secret 40125; null when fine. */
    private static SimResponse checkCredentials(String appid, String secret, SimulatorState state) {
        if (appid == null) {
            return SimResponse.wechatError(ErrorCatalog.APPID_MISSING);
        }
        if (secret == null) {
            return SimResponse.wechatError(ErrorCatalog.APPSECRET_MISSING);
        }
        return switch (state.apps().check(appid, secret, Platform.WECHAT)) {
            case UNKNOWN_APP -> SimResponse.wechatError(ErrorCatalog.INVALID_APPID);
            case WRONG_SECRET -> SimResponse.wechatError(ErrorCatalog.INVALID_APPSECRET);
            case OK -> null;
        };
    }

    private static Map<String, Object> tokenBody(IssuedToken token, long expiresIn) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.value);
        body.put("expires_in", expiresIn);
        return body;
    }
}
