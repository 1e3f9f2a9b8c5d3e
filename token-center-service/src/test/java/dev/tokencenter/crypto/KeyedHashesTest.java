package dev.tokencenter.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyed names: stable under one master key, different per purpose and per key, listed for every key of the ring. */
class KeyedHashesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aNameIsStableForItsKeyAndPurposeAndRevealsNothingOfTheValue() {
        String k1 = key();
        KeyedHashes hashes = new KeyedHashes(MasterKeyRing.parse("k1:" + k1));

        String name = hashes.of("mp-user", "42:oGZUI0egBJY1zhBYw2KhdUfwVJJE");

        assertThat(name).matches("[A-Za-z0-9_-]{22}").isEqualTo(hashes.of("mp-user", "42:oGZUI0egBJY1zhBYw2KhdUfwVJJE"));
        assertThat(name).isNotEqualTo(hashes.of("other", "42:oGZUI0egBJY1zhBYw2KhdUfwVJJE"))
                .isNotEqualTo(hashes.of("mp-user", "43:oGZUI0egBJY1zhBYw2KhdUfwVJJE"));
        assertThat(new KeyedHashes(MasterKeyRing.parse("k1:" + key())).of("mp-user", "42:oGZUI0egBJY1zhBYw2KhdUfwVJJE"))
                .isNotEqualTo(name);
    }

    @Test
    void allNamesTheValueUnderEveryKeyOfTheRingTheActiveOneFirst() {
        String k1 = key();
        String k2 = key();
        String before = new KeyedHashes(MasterKeyRing.parse("k1:" + k1)).of("mp-user", "v");
        KeyedHashes rotated = new KeyedHashes(MasterKeyRing.parse("k2:" + k2 + ",k1:" + k1));

        assertThat(rotated.all("mp-user", "v")).containsExactly(rotated.of("mp-user", "v"), before);
        assertThat(rotated.of("mp-user", "v")).isNotEqualTo(before);
    }

    private static String key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
