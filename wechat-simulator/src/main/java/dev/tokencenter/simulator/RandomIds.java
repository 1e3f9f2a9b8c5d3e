package dev.tokencenter.simulator;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers shaped like WeChat's: tokens, tickets, codes, session keys, request ids. */
final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] URL_SAFE =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private RandomIds() {
    }

    /** A WeChat access token: a version prefix like the real "86_" then 133 characters of [A-Za-z0-9_-]. */
    static String wechatAccessToken() {
        return "86_" + randomChars(URL_SAFE, 133);
    }

    /** A WeCom access token: 214 characters of [A-Za-z0-9_-] (the real ones are about that long). */
    static String wecomAccessToken() {
        return randomChars(URL_SAFE, 214);
    }

    /** A JS-SDK style ticket (86 characters). */
    static String ticket() {
        return randomChars(URL_SAFE, 86);
    }

    /** A {@code wx.login()} code: 32 alphanumeric characters. */
    static String loginCode() {
        return randomChars(ALPHANUMERIC, 32);
    }

    /** A phone-number code: 64 hex characters. */
    static String phoneCode() {
        return hex(32);
    }

    /** base64 of 16 random bytes: 24 characters. */
    static String sessionKey() {
        return Base64.getEncoder().encodeToString(bytes(16));
    }

    /** The "rid" WeChat appends to its error messages, e.g. {@code 6552e3da-6397437b-3f0d4f01}. */
    static String rid() {
        return hex(4) + "-" + hex(4) + "-" + hex(4);
    }

    static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String hex(int byteCount) {
        return HexFormat.of().formatHex(bytes(byteCount));
    }

    private static String randomChars(char[] alphabet, int length) {
        char[] out = new char[length];
        byte[] random = bytes(length);
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[(random[i] & 0xff) % alphabet.length];
        }
        return new String(out);
    }
}
