package dev.tokencenter.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The mini program session cryptography: encryptedData and the login-state signature. */
final class SessionCrypto {

    private SessionCrypto() {
    }

    private static final String AES_CBC_PKCS7 = "AES/CBC/PKCS5Padding";

    /**
     * WeChat's encryptedData of {@code payload}: the payload's JSON with {@code watermark:{timestamp, appid}}
     * added as its last field (a payload that brings its own {@code watermark} keeps it, so that tests can
     * present a foreign or stale one), encrypted by {@link #encrypt}.
     */
    static EncryptedPayload encryptWithWatermark(String sessionKey, String appid, long timestamp,
                                                 Map<String, ?> payload) {
        Map<String, Object> plaintext = new LinkedHashMap<>(payload == null ? Map.of() : payload);
        if (!plaintext.containsKey("watermark")) {
            Map<String, Object> watermark = new LinkedHashMap<>();
            watermark.put("timestamp", timestamp);
            watermark.put("appid", appid);
            plaintext.put("watermark", watermark);
        }
        return encrypt(sessionKey, Json.write(plaintext));
    }

    /**
     * AES-128-CBC with PKCS#7 padding (Java calls it PKCS5Padding; identical for 16-byte blocks),
     * key = base64-decode(session_key), random 16-byte iv; both results base64.
     */
    static EncryptedPayload encrypt(String sessionKey, byte[] plaintext) {
        byte[] key = decodeSessionKey(sessionKey);
        byte[] iv = RandomIds.bytes(16);
        try {
            Cipher cipher = Cipher.getInstance(AES_CBC_PKCS7);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] encrypted = cipher.doFinal(plaintext);
            Base64.Encoder base64 = Base64.getEncoder();
            return new EncryptedPayload(base64.encodeToString(encrypted), base64.encodeToString(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC is not available", e);
        }
    }

    /**
     * The inverse of {@link #encrypt}, as a WeChat server decrypts encryptedData: key = base64-decode(session_key),
     * iv = base64-decode(iv), ciphertext = base64-decode(encryptedData). A wrong key mostly fails the padding
     * check ({@link javax.crypto.BadPaddingException}), otherwise it yields garbage.
     */
    static byte[] decrypt(String sessionKey, String iv, String encryptedData) throws GeneralSecurityException {
        byte[] key = decodeSessionKey(sessionKey);
        Base64.Decoder base64 = Base64.getDecoder();
        Cipher cipher = Cipher.getInstance(AES_CBC_PKCS7);
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(base64.decode(iv)));
        return cipher.doFinal(base64.decode(encryptedData));
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
            throw new IllegalArgumentException("session_key is not base64", e);
        }
        if (key.length != 16) {
            throw new IllegalArgumentException("session_key must decode to 16 bytes, got " + key.length);
        }
        return key;
    }
}
