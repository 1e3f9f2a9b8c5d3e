package dev.tokencenter.simulator;

import java.util.Map;

/** WeChat's error messages (as close to the real text as the documentation and captured replies allow). */
final class ErrorCatalog {

    static final int SYSTEM_BUSY = -1;
    static final int INVALID_CREDENTIAL = 40001;
    static final int INVALID_GRANT_TYPE = 40002;
    static final int INVALID_OPENID = 40003;
    static final int INVALID_APPID = 40013;
    static final int INVALID_ACCESS_TOKEN = 40014;
    static final int INVALID_CODE = 40029;
    static final int INVALID_ARGS = 40097;
    static final int INVALID_APPSECRET = 40125;
    static final int CODE_BEEN_USED = 40163;
    static final int HIGH_RISK_USER = 40226;
    static final int ACCESS_TOKEN_MISSING = 41001;
    static final int APPID_MISSING = 41002;
    static final int APPSECRET_MISSING = 41004;
    static final int CODE_MISSING = 41008;
    static final int ACCESS_TOKEN_EXPIRED = 42001;
    static final int REQUIRE_POST = 43002;
    static final int DAILY_QUOTA = 45009;
    /** WeCom answers its frequency limits (per minute, per hour) with the same code as WeChat's daily quota. */
    static final int WECOM_FREQUENCY_LIMIT = DAILY_QUOTA;
    static final int MINUTE_QUOTA = 45011;
    static final int DATA_FORMAT_ERROR = 47001;
    static final int API_UNAUTHORIZED = 48001;
    static final int CLEAR_QUOTA_LIMIT = 48006;
    static final int CGI_PATH_NOT_FOUND = 76021;
    static final int INVALID_SIGNATURE = 87009;

    private static final Map<Integer, String> WECHAT_MESSAGES = Map.ofEntries(
            Map.entry(SYSTEM_BUSY, "system error"),
            Map.entry(INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest"),
            Map.entry(INVALID_GRANT_TYPE, "invalid grant_type"),
            Map.entry(INVALID_OPENID, "invalid openid"),
            Map.entry(INVALID_APPID, "invalid appid"),
            Map.entry(INVALID_ACCESS_TOKEN, "invalid access_token"),
            Map.entry(INVALID_CODE, "invalid code"),
            Map.entry(INVALID_ARGS, "invalid args"),
            Map.entry(INVALID_APPSECRET, "invalid appsecret"),
            Map.entry(CODE_BEEN_USED, "code been used"),
            Map.entry(40164, "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist"),
            Map.entry(HIGH_RISK_USER, "high risk user"),
            Map.entry(40243, "AppSecret is frozen"),
            Map.entry(ACCESS_TOKEN_MISSING, "access_token missing"),
            Map.entry(APPID_MISSING, "appid missing"),
            Map.entry(APPSECRET_MISSING, "appsecret missing"),
            Map.entry(CODE_MISSING, "missing code"),
            Map.entry(ACCESS_TOKEN_EXPIRED, "access_token expired"),
            Map.entry(REQUIRE_POST, "require POST method"),
            Map.entry(DAILY_QUOTA, "reach max api daily quota limit"),
            Map.entry(MINUTE_QUOTA, "api minute-quota reach limit  mustslower  retry next minute"),
            Map.entry(DATA_FORMAT_ERROR, "data format error"),
            Map.entry(API_UNAUTHORIZED, "api unauthorized"),
            Map.entry(CLEAR_QUOTA_LIMIT, "forbid to clear quota because of reaching the limit"),
            Map.entry(50001, "user unauthorized"),
            Map.entry(50002, "user limited"),
            Map.entry(61004, "access clientip is not registered"),
            Map.entry(CGI_PATH_NOT_FOUND, "cgi_path not found, please check"),
            Map.entry(INVALID_SIGNATURE, "invalid signature"),
            Map.entry(89503, "this ip needs to be confirmed by the admin"));

    private static final Map<Integer, String> WECOM_MESSAGES = Map.of(
            INVALID_CREDENTIAL, "invalid credential",
            INVALID_APPID, "invalid corpid",
            INVALID_ACCESS_TOKEN, "invalid access_token",
            APPID_MISSING, "corpid missing",
            APPSECRET_MISSING, "corpsecret missing",
            ACCESS_TOKEN_MISSING, "access_token missing",
            ACCESS_TOKEN_EXPIRED, "access_token expired",
            WECOM_FREQUENCY_LIMIT, "api freq out of limit");

    private ErrorCatalog() {
    }

    /** WeChat style: the message, then {@code " rid: <hex>"}. */
    static String wechatMessage(int errcode) {
        return withRid(WECHAT_MESSAGES.getOrDefault(errcode, "simulated error"));
    }

    /** A message of one's own in WeChat style: {@code " rid: <hex>"} appended unless it already names one. */
    static String withRid(String message) {
        return message.contains(" rid: ") ? message : message + " rid: " + RandomIds.rid();
    }

    /** WeCom style: the message, a hint, and the link to WeCom's error code lookup. */
    static String wecomMessage(int errcode) {
        String text = WECOM_MESSAGES.getOrDefault(errcode, WECHAT_MESSAGES.getOrDefault(errcode, "simulated error"));
        return text + ", hint: [" + (System.currentTimeMillis() / 1000) + "_" + RandomIds.hex(8)
                + "], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=" + errcode;
    }
}
