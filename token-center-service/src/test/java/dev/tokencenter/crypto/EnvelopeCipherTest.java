package dev.tokencenter.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cipher objects are kept per thread: nothing may carry over from one value, or one thread, to another. */
class EnvelopeCipherTest {

    private final EnvelopeCipher cipher = new EnvelopeCipher(MasterKeyRing.parse("k1:" + randomKey()));

    @Test
    void aFailedOpenLeavesNothingBehindForTheNextValueOnTheSameThread() {
        Envelope sealed = cipher.seal("first value", "credential:1:secret");
        byte[] ciphertext = sealed.ciphertext().clone();
        ciphertext[ciphertext.length - 1] ^= 1;
        Envelope tampered = new Envelope(sealed.keyId(), sealed.wrappedDataKey(), ciphertext);

        assertThatThrownBy(() -> cipher.open(tampered, "credential:1:secret")).isInstanceOf(SealedValueException.class);
        assertThatThrownBy(() -> cipher.open(sealed, "credential:2:secret")).isInstanceOf(SealedValueException.class);
        assertThat(cipher.open(sealed, "credential:1:secret")).isEqualTo("first value");
        assertThat(cipher.open(cipher.seal("second value", "credential:1:secret"), "credential:1:secret"))
                .isEqualTo("second value");
    }

    @Test
    void everySealingUsesItsOwnDataKeyAndIv() {
        Envelope one = cipher.seal("same value", "token:7");
        Envelope two = cipher.seal("same value", "token:7");

        assertThat(one.ciphertext()).isNotEqualTo(two.ciphertext());
        assertThat(one.wrappedDataKey()).isNotEqualTo(two.wrappedDataKey());
        assertThat(cipher.open(one, "token:7")).isEqualTo(cipher.open(two, "token:7")).isEqualTo("same value");
    }

    @Test
    void threadsSealingAndOpeningAtOnceEachGetTheirOwnValuesBack() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    int opened = 0;
                    for (int i = 0; i < 2_000; i++) {
                        String value = "value " + thread + "/" + i;
                        String binding = "token:" + thread + ":" + i;
                        if (cipher.open(cipher.seal(value, binding), binding).equals(value)) {
                            opened++;
                        }
                    }
                    return opened;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
