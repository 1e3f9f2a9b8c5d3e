package dev.tokencenter.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short one-way fingerprint of a secret value (a token), for in-memory caches that must not be keyed by the value. */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** The first 128 bits of the value's SHA-256, in hex. */
    public static String of(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
