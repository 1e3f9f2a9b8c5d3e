package dev.tokencenter.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Quota management: {@code clear_quota}, {@code clear_quota/v2} and {@code openapi/quota/get}. */
final class QuotaEndpoints {

    static final String CLEAR = "/cgi-bin/clear_quota";
    static final String CLEAR_V2 = "/cgi-bin/clear_quota/v2";
    static final String GET = "/cgi-bin/openapi/quota/get";

    private QuotaEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                new Route(CLEAR, Platform.WECHAT, QuotaEndpoints::clear),
                new Route(CLEAR_V2, Platform.WECHAT, QuotaEndpoints::clearV2),
                new Route(GET, Platform.WECHAT, QuotaEndpoints::get));
    }

    /** With a token: the body's appid must be the token's own app (48001 otherwise). */
    static SimResponse clear(SimRequest request, SimulatorState state) {
        ApiSupport.AuthorizedPost post = ApiSupport.authorizedJsonPost(request, state);
        if (post.refusal() != null) {
            return post.refusal();
        }
        TokenCheck check = post.check();
        Map<String, Object> body = post.body();
        String appid = Json.text(body, "appid");
        if (appid == null) {
            return SimResponse.wechatError(ErrorCatalog.APPID_MISSING);
        }
        if (!state.apps().isRegistered(appid, Platform.WECHAT)) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_APPID);
        }
        if (!appid.equals(check.token().appid)) {
            return SimResponse.wechatError(ErrorCatalog.API_UNAUTHORIZED);
        }
        return useClear(appid, state);
    }

    /** Without a token (usable when the token API itself is out of quota): appid + appsecret. */
    static SimResponse clearV2(SimRequest request, SimulatorState state) {
        if (!request.isPost()) {
            return SimResponse.wechatError(ErrorCatalog.REQUIRE_POST);
        }
        Map<String, Object> body = ApiSupport.jsonBody(request);
        if (body == null) {
            return SimResponse.wechatError(ErrorCatalog.DATA_FORMAT_ERROR);
        }
        String appid = Json.text(body, "appid");
        String secret = Json.text(body, "appsecret");
        if (appid == null) {
            return SimResponse.wechatError(ErrorCatalog.APPID_MISSING);
        }
        if (secret == null) {
            return SimResponse.wechatError(ErrorCatalog.APPSECRET_MISSING);
        }
        return switch (state.apps().check(appid, secret, Platform.WECHAT)) {
            case UNKNOWN_APP -> SimResponse.wechatError(ErrorCatalog.INVALID_APPID);
            case WRONG_SECRET -> SimResponse.wechatError(ErrorCatalog.INVALID_APPSECRET);
            case OK -> useClear(appid, state);
        };
    }

    /** Daily limit, used and remaining calls of one API for the token's app; /sns/* and unknown: 76021. */
    static SimResponse get(SimRequest request, SimulatorState state) {
        ApiSupport.AuthorizedPost post = ApiSupport.authorizedJsonPost(request, state);
        if (post.refusal() != null) {
            return post.refusal();
        }
        String cgiPath = Json.text(post.body(), "cgi_path");
        if (cgiPath == null) {
            return SimResponse.wechatError(ErrorCatalog.DATA_FORMAT_ERROR);
        }
        Long dailyLimit = dailyLimit(cgiPath, state.settings());
        if (dailyLimit == null) {
            return SimResponse.wechatError(ErrorCatalog.CGI_PATH_NOT_FOUND);
        }
        long used = state.quotas().usedToday(post.check().token().appid, cgiPath);
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("daily_limit", dailyLimit);
        quota.put("used", used);
        quota.put("remain", Math.max(0, dailyLimit - used));
        Map<String, Object> reply = SimResponse.okBody();
        reply.put("quota", quota);
        return SimResponse.wechat(reply);
    }

    private static Long dailyLimit(String cgiPath, SimulatorSettings settings) {
        return switch (cgiPath) {
            case AccessTokenEndpoints.CLASSIC -> settings.classicDailyQuota();
            case AccessTokenEndpoints.STABLE -> settings.stableDailyQuota();
            case TicketEndpoints.WECHAT_TICKET, MiniProgramEndpoints.PHONE_NUMBER, MiniProgramEndpoints.CHECK_SESSION,
                    CLEAR, GET -> settings.otherApiDailyQuota();
            default -> null; // includes every /sns/* path, which quota/get does not support
        };
    }

    private static SimResponse useClear(String appid, SimulatorState state) {
        if (!state.quotas().tryClear(appid, state.settings().clearQuotaMonthlyLimit())) {
            return SimResponse.wechatError(ErrorCatalog.CLEAR_QUOTA_LIMIT);
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("errcode", 0);
        ok.put("errmsg", "ok");
        return SimResponse.wechat(ok);
    }
}
