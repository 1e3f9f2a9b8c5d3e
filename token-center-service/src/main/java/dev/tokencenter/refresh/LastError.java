package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * The last failed call of a credential.
 *
 * @param errcode WeChat's errcode, null for timeouts, HTTP and transport failures and the quota guard
 * @param message WeChat's errmsg or a description; never a secret or a token
 * @param policy  what the engine did about it
 * @param ip      the caller IP WeChat named (40164, 61004), when it did
 * @param at      when it happened
 */
public record LastError(Integer errcode, String message, ErrcodePolicy policy, String ip, Instant at) {
}
