package dev.tokencenter.wechat;

/** What WeChat (or WeCom) said of a token when asked with a cheap call that uses it. */
public enum TokenCheck {
    /** The call was accepted: the token works. */
    VALID,
    /** The call failed with a token error (40001, 40014, 41001, 42001). */
    REJECTED,
    /** No answer in time, or an answer that says nothing about the token. */
    UNKNOWN
}
