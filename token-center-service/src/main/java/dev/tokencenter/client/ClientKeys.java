package dev.tokencenter.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client API keys: {@code tck_<client id>_<43 chars of base64url, 256 random bits>}. The client id inside the key
 * lets the server find the stored hash without a scan; only the SHA-256 hash of the whole key is stored
 * (a 256-bit random key needs no slow hash). Comparison is constant-time.
 */
public final class ClientKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern KEY = Pattern.compile("tck_(c[0-9a-f]{16})_[A-Za-z0-9_-]{43}");

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
        if (key == null || key.length() > 100) {
            return Optional.empty();
        }
        var matcher = KEY.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
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
