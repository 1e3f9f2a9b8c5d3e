package dev.tokencenter.crypto;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The master keys by id; the first one listed is the active key that wraps new data keys. */
public final class MasterKeyRing {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final String activeKeyId;
    private final Map<String, SecretKey> keys;

    private MasterKeyRing(String activeKeyId, Map<String, SecretKey> keys) {
        this.activeKeyId = activeKeyId;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** Parses {@code id:base64,id:base64}; errors name the entry, never its key material. */
    public static MasterKeyRing parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("master key ring is empty");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String active = null;
        int position = 0;
        for (String entry : text.trim().split("\\s*,\\s*")) {
            position++;
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("master key entry " + position + " is not in the form id:base64");
            }
            String id = entry.substring(0, colon).trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("master key entry " + position + " has an invalid key id");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("master key '" + id + "' is not valid base64");
            }
            if (material.length != 32) {
                throw new IllegalArgumentException("master key '" + id + "' must be 32 bytes (AES-256), found " + material.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException("master key id '" + id + "' appears twice");
            }
            if (active == null) {
                active = id;
            }
        }
        return new MasterKeyRing(active, keys);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }
}
