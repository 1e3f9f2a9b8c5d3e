package dev.tokencenter.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short one-way fingerprint of a secret value (a token), for in-memory caches that must not be keyed by the value. */
public final class Fingerprints {

    /**
     * Fingerprints of values still in use, by the value's identity and held weakly: a token read again and again (the
     * compatible endpoints fingerprint it up to three times per call) is hashed once, and the memo keeps no value
     * alive nor ever compares values.
     */
    private static final Cache<String, String> RECENT = Caffeine.newBuilder().executor(Runnable::run)
            .weakKeys().maximumSize(100_000).build();

    private Fingerprints() {
    }

    /** The first 128 bits of the value's SHA-256, in hex. */
    public static String of(String value) {
        return RECENT.get(value, Fingerprints::sha256);
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
