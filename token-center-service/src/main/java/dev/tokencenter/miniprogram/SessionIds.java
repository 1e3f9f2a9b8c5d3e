package dev.tokencenter.miniprogram;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Opaque session ids: 256 random bits from {@link SecureRandom}, base64url without padding (43 characters). */
final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private SessionIds() {
    }

    static String next() {
        byte[] id = new byte[BYTES];
        RANDOM.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** Whether the text could be a session id at all (anything else is unknown without asking Redis). */
    static boolean wellFormed(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
