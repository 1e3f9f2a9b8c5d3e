package dev.tokencenter.miniprogram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The login-state signature of {@code /wxa/checksession}: lower-case hex HMAC-SHA256 of a message (the empty string
 * for checksession), keyed with the session_key's base64 TEXT as UTF-8 bytes, not the 16 bytes it decodes to. Pure.
 */
final class SessionSignature {

    private SessionSignature() {
    }

    /** What checksession expects: the signature of the empty string. */
    static String forCheck(String sessionKey) {
        return of(sessionKey, "");
    }

    static String of(String sessionKey, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
