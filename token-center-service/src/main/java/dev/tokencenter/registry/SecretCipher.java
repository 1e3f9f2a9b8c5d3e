package dev.tokencenter.registry;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.crypto.SealedValueException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Seals and opens credential secrets, bound to their row ({@code credential:<environment_id>:secret}). */
@Component
class SecretCipher {

    private final EnvelopeCipher cipher;

    SecretCipher(EnvelopeCipher cipher) {
        this.cipher = cipher;
    }

    static String binding(long environmentId) {
        return Bindings.credentialSecret(environmentId);
    }

    SealedSecret seal(long environmentId, String secret) {
        Envelope envelope = cipher.seal(secret, binding(environmentId));
        return new SealedSecret(envelope.toBytes(), envelope.keyId(), CredentialRules.hint(secret));
    }

    /** Opens the stored envelope; throws {@link SealedValueException} naming the row. */
    String open(long environmentId, byte[] envelope) {
        String binding = binding(environmentId);
        Envelope parsed;
        try {
            parsed = Envelope.fromBytes(envelope);
        } catch (IllegalArgumentException e) {
            throw new SealedValueException(binding, "is not a readable envelope", e);
        }
        return cipher.open(parsed, binding);
    }

    /** Constant-time comparison, so that an identical PUT is detected without a timing side channel. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
