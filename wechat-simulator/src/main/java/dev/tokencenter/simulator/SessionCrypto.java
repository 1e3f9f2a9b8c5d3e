package dev.tokencenter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The mini program session cryptography: encryptedData and the login-state signature. */
final class SessionCrypto {

    private SessionCrypto() {
    }

    /**
     * AES-128-CBC with PKCS#7 padding (Java calls it PKCS5Padding; identical for 16-byte blocks),
     * key = base64-decode(session_key), random 16-byte iv; both results base64.
     */
    static EncryptedPayload encrypt(String sessionKey, byte[] plaintext) {
        byte[] key = decodeSessionKey(sessionKey);
        byte[] iv = RandomIds.bytes(16);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] encrypted = cipher.doFinal(plaintext);
            Base64.Encoder base64 = Base64.getEncoder();
            return new EncryptedPayload(base64.encodeToString(encrypted), base64.encodeToString(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC is not available", e);
        }
    }

    /**
     * The user login-state signature: lowercase hex HMAC-SHA256 of {@code data} ({@code ""} for
     * {@code GET /wxa/checksession}), keyed with the session_key.
     *
     * <p>The documentation does not say whether the key is the base64 TEXT of session_key or its decoded
     * 16 bytes. The simulator uses the TEXT (its UTF-8 bytes) as canonical: that is the form that reproduces
     * the documentation's own example, {@code hmac_sha256('{"foo":"bar"}', 'o0q0otL8aEzpcZL/FT9WsQ==') =
     * 654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b}, and the one WeChat staff confirmed
     * on the developer forum ("the original session_key, lowercase hex").
     */
    static String loginStateSignature(String sessionKey, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] decodeSessionKey(String sessionKey) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(sessionKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("session_key is not base64: " + sessionKey, e);
        }
        if (key.length != 16) {
            throw new IllegalArgumentException("session_key must decode to 16 bytes, got " + key.length);
        }
        return key;
    }
}
