package dev.tokencenter.refresh;

/** What the engine does after a failed token call (the table in WECHAT-API.md). */
public enum ErrcodePolicy {
    /** -1, 45011, timeouts, 5xx, transport errors: retry with exponential backoff and jitter, bounded. */
    RETRY,
    /** Secret, AppID, whitelist, risk, account and request errors: stop and wait for an admin. */
    STOP,
    /** 45009: the daily quota is used up; pause until the next quota day (UTC+8). */
    PAUSE,
    /** The engine's own guard: automatic calls reached the configured share of the daily limit. */
    QUOTA_GUARD
}
