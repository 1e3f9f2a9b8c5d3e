package dev.tokencenter.registry;

/** Where an app lives: a WeChat mini program, a WeChat official account, or a WeCom (enterprise WeChat) app. */
public enum Platform {
    WECHAT_MINIPROGRAM,
    WECHAT_OFFICIAL_ACCOUNT,
    WECOM;

    public boolean isWechat() {
        return this != WECOM;
    }
}
