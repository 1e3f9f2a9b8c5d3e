package dev.tokencenter.simulator;

/** Which Tencent platform an application belongs to. */
public enum Platform {
    /** Official account or mini program: {@code appid} + AppSecret on {@code api.weixin.qq.com}. */
    WECHAT,
    /** WeCom (WeChat Work): corp id ({@code ww...}) + one corpsecret per app on {@code qyapi.weixin.qq.com}. */
    WECOM
}
