package dev.tokencenter.miniprogram;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opens a mini program's encryptedData (the older {@code getUserInfo}/{@code getPhoneNumber} flow): AES-128-CBC with
 * PKCS#7 padding, key = base64-decode(session_key), iv = base64-decode(iv). The plaintext must be a JSON object whose
 * {@code watermark.appid} is the app's AppID and, when a maximum age is given, whose {@code watermark.timestamp} is no
 * older than that. Pure: no I/O, no clock of its own; every failure is a {@link DecryptionFailure}.
 */
final class EncryptedDataDecryptor {

    static final int BLOCK = 16;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private EncryptedDataDecryptor() {
    }

    /**
     * @param maxAge null to accept a watermark of any age
     * @return the decrypted JSON object
     */
    static JsonNode decrypt(String sessionKey, String encryptedData, String iv, String appid, Instant now,
                            Duration maxAge) {
        byte[] plaintext = plaintext(sessionKey, encryptedData, iv);
        try {
            JsonNode json = parse(plaintext);
            checkWatermark(json.path("watermark"), appid, now, maxAge);
            return json;
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The decrypted bytes, before any check of what they hold. */
    static byte[] plaintext(String sessionKey, String encryptedData, String iv) {
        byte[] key = base64(sessionKey, null);
        try {
            byte[] ciphertext = base64(encryptedData, "encrypted_data");
            byte[] vector = base64(iv, "iv");
            if (key.length != BLOCK) {
                throw new DecryptionFailure(DecryptionFailure.Reason.WRONG_SIZE, null, "the session_key is not 16 bytes");
            }
            if (vector.length != BLOCK) {
                throw new DecryptionFailure(DecryptionFailure.Reason.WRONG_SIZE, "iv",
                        "iv must be 16 bytes in base64, not " + vector.length);
            }
            if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
                throw new DecryptionFailure(DecryptionFailure.Reason.WRONG_SIZE, "encrypted_data",
                        "encrypted_data must be a non-empty multiple of 16 bytes in base64, not " + ciphertext.length);
            }
            return aesCbc(key, vector, ciphertext);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] aesCbc(byte[] key, byte[] iv, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(ciphertext);
        } catch (BadPaddingException e) {
            throw new DecryptionFailure(DecryptionFailure.Reason.BAD_PADDING, null,
                    "the data does not decrypt with this session's session_key (bad padding): it was encrypted with"
                            + " another session_key, most often because the user logged in again (wx.login) after"
                            + " this session was created; log the user in again and fetch the data anew");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/PKCS5Padding is not available", e);
        }
    }

    private static JsonNode parse(byte[] plaintext) {
        JsonNode json;
        try {
            json = JSON.readTree(plaintext);
        } catch (JacksonException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new DecryptionFailure(DecryptionFailure.Reason.NOT_JSON, null,
                    "the decrypted data is not a JSON object: it was probably encrypted with another session_key;"
                            + " log the user in again and fetch the data anew");
        }
        return json;
    }

    private static void checkWatermark(JsonNode watermark, String appid, Instant now, Duration maxAge) {
        JsonNode stamped = watermark.path("appid");
        if (!stamped.isString() || !stamped.asString().equals(appid)) {
            throw new DecryptionFailure(DecryptionFailure.Reason.FOREIGN_WATERMARK, null, stamped.isString()
                    ? "the data's watermark names another AppID than this environment's" : "the data has no watermark.appid");
        }
        if (maxAge == null) {
            return;
        }
        JsonNode timestamp = watermark.path("timestamp");
        if (!timestamp.isIntegralNumber() || !timestamp.canConvertToLong()) {
            throw new DecryptionFailure(DecryptionFailure.Reason.WATERMARK_TOO_OLD, null,
                    "the data's watermark has no timestamp, so its age cannot be checked");
        }
        long age = now.getEpochSecond() - timestamp.asLong();
        if (age > maxAge.toSeconds()) {
            throw new DecryptionFailure(DecryptionFailure.Reason.WATERMARK_TOO_OLD, null,
                    "the data's watermark is " + age + " s old, more than the accepted " + maxAge.toSeconds() + " s");
        }
    }

    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailure(DecryptionFailure.Reason.NOT_BASE64, field,
                    (field == null ? "the session_key" : field) + " is not base64");
        }
    }
}
