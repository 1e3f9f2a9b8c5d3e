package dev.tokencenter.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Client API keys: {@code tck_<client id>_<43 chars of base64url, 256 random bits>}. The client id inside the key
 * lets the server find the stored hash without a scan; only the SHA-256 hash of the whole key is stored
 * (a 256-bit random key needs no slow hash). Comparison is constant-time.
 */
public final class ClientKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code tck_} + {@code c} and 16 hex digits + {@code _} + 43 characters of base64url. */
    private static final int ID_END = 4 + 17;
    private static final int KEY_LENGTH = ID_END + 1 + 43;

    private ClientKeys() {
    }

    public static String newClientId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "c" + HexFormat.of().formatHex(bytes);
    }

    public static String newKey(String clientId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "tck_" + clientId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The client id a well-formed key names, or empty for anything that is not a key. */
    public static Optional<String> clientIdOf(String key) {
        return Optional.ofNullable(clientIdOrNull(key));
    }

    /**
     * Same as {@link #clientIdOf(String)} without allocating an Optional or running a regular expression: it runs on
     * every token request.
     */
    public static String clientIdOrNull(String key) {
        if (key == null || key.length() != KEY_LENGTH || !key.startsWith("tck_c") || key.charAt(ID_END) != '_') {
            return null;
        }
        for (int i = 5; i < ID_END; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        for (int i = ID_END + 1; i < KEY_LENGTH; i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return null;
            }
        }
        return key.substring(4, ID_END);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean matches(String key, String storedHash) {
        return MessageDigest.isEqual(hash(key).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
