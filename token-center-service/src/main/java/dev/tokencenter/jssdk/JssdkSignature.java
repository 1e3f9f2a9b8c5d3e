package dev.tokencenter.jssdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The JS-SDK signature: lower-case hex SHA-1 of {@code jsapi_ticket=T&noncestr=N&timestamp=S&url=U}, keys in this
 * order, values as they are (never URL-encoded or decoded), the URL without {@code #} and what follows. WeCom's
 * {@code wx.config} and {@code wx.agentConfig} use the same algorithm with the corp or the app ticket.
 */
final class JssdkSignature {

    private static final char[] NONCE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int NONCE_LENGTH = 16;

    private JssdkSignature() {
    }

    static String sign(String ticket, String nonce, long timestamp, String url) {
        String signed = "jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + timestamp + "&url=" + signedUrl(url);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    /** The URL as signed: as given, up to (not including) the first {@code #}. */
    static String signedUrl(String url) {
        int fragment = url.indexOf('#');
        return fragment < 0 ? url : url.substring(0, fragment);
    }

    static String nonce(SecureRandom random) {
        char[] nonce = new char[NONCE_LENGTH];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = NONCE_CHARACTERS[random.nextInt(NONCE_CHARACTERS.length)];
        }
        return new String(nonce);
    }
}
