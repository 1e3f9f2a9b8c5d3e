package dev.tokencenter.simulator;

/**
 * A {@code wx.login()} code minted for a user, and the session key that exchanging it yields.
 *
 * @param code       the js_code to pass to {@code /sns/jscode2session}
 * @param sessionKey base64 of 16 random bytes (24 characters)
 */
public record LoginCode(String code, String sessionKey) {
}
