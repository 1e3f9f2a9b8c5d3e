package dev.tokencenter.compat;

/**
 * The errcodes the compatible endpoints answer with, and WeChat's / WeCom's wording for them. The client key takes
 * the place of the AppSecret, so a wrong key gets what WeChat answers for a wrong AppSecret on the token call:
 * 40125 "invalid appsecret" (WeCom: 40001 "invalid credential", its code for a wrong corpsecret). 40001 is not used on
 * the WeChat endpoints for a wrong key because SDKs read 40001 as "token expired, fetch a new one" and would loop.
 */
final class WechatErrors {

    static final int SYSTEM_BUSY = -1;
    static final int INVALID_CREDENTIAL = 40001;
    static final int INVALID_GRANT_TYPE = 40002;
    static final int INVALID_APPID = 40013;
    static final int INVALID_APPSECRET = 40125;
    static final int APPID_MISSING = 41002;
    static final int APPSECRET_MISSING = 41004;
    static final int REQUIRE_POST = 43002;
    static final int MINUTE_QUOTA = 45011;
    static final int DATA_FORMAT_ERROR = 47001;

    private WechatErrors() {
    }

    static String wechatMessage(int errcode) {
        String text = switch (errcode) {
            case SYSTEM_BUSY -> "system error";
            case INVALID_GRANT_TYPE -> "invalid grant_type";
            case INVALID_APPID -> "invalid appid";
            case INVALID_APPSECRET -> "invalid appsecret";
            case APPID_MISSING -> "appid missing";
            case APPSECRET_MISSING -> "appsecret missing";
            case REQUIRE_POST -> "require POST method";
            case MINUTE_QUOTA -> "api minute-quota reach limit  mustslower  retry next minute";
            case DATA_FORMAT_ERROR -> "data format error";
            default -> "system error";
        };
        return text + " rid: " + RequestIds.rid();
    }

    static String wecomMessage(int errcode) {
        String text = switch (errcode) {
            case SYSTEM_BUSY -> "system busy";
            case INVALID_CREDENTIAL -> "invalid credential";
            case INVALID_APPID -> "invalid corpid";
            case APPID_MISSING -> "corpid missing";
            case APPSECRET_MISSING -> "corpsecret missing";
            default -> "system busy";
        };
        return text + ", more info at https://open.work.weixin.qq.com/devtool/query?e=" + errcode;
    }
}
