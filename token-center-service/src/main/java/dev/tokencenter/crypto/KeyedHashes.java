package dev.tokencenter.crypto;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keyed one-way names for values that must not appear in storage keys (e.g. a user's openid in a Redis key):
 * HMAC-SHA256 under a key derived from a master key and a purpose, first 128 bits in base64url. Without the master
 * key, a name cannot be computed from a guessed value. A name depends on the master key: {@link #all} gives the
 * names under every key of the ring (the active one first), so that entries named before a rotation are found.
 */
public final class KeyedHashes {

    private final MasterKeyRing ring;

    public KeyedHashes(MasterKeyRing ring) {
        this.ring = ring;
    }

    /** The name of {@code value} for {@code purpose} under the active master key. */
    public String of(String purpose, String value) {
        return hash(ring.activeKey(), purpose, value);
    }

    /** The names under every master key of the ring, the active key's first. */
    public List<String> all(String purpose, String value) {
        List<String> names = new ArrayList<>();
        names.add(of(purpose, value));
        for (String keyId : ring.keyIds()) {
            if (!keyId.equals(ring.activeKeyId())) {
                names.add(hash(ring.key(keyId).orElseThrow(), purpose, value));
            }
        }
        return names;
    }

    private static String hash(SecretKey master, String purpose, String value) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(master);
            byte[] subkey = derive.doFinal(("tc:keyed-hash:" + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
