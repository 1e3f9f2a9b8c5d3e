package dev.tokencenter.crypto;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-256-GCM envelope encryption. The associated data ({@code binding}, e.g. {@code credential:42:secret}) is
 * authenticated both for the value and for its wrapped data key, so a ciphertext copied onto another row does not open.
 * Failures throw {@link SealedValueException} naming the binding, never a crash, never an empty value.
 */
public final class EnvelopeCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int DATA_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher object per thread: looking the transformation up costs more than the encryption of a token. Every use
     * initialises it afresh (a new IV for each encryption), so nothing carries over from one value to the next.
     */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(EnvelopeCipher::newGcm);

    private final MasterKeyRing ring;

    public EnvelopeCipher(MasterKeyRing ring) {
        this.ring = ring;
    }

    public MasterKeyRing ring() {
        return ring;
    }

    public Envelope seal(String plaintext, String binding) {
        byte[] data = plaintext.getBytes(StandardCharsets.UTF_8);
        try {
            SecretKey dataKey = newDataKey();
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, dataKey, data, aad(binding));
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, ring.activeKey(), dataKey.getEncoded(), wrapAad(ring.activeKeyId(), binding));
            return new Envelope(ring.activeKeyId(), wrapped, ciphertext);
        } catch (GeneralSecurityException e) {
            throw new SealedValueException(binding, "could not be encrypted", e);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    public String open(Envelope envelope, String binding) {
        byte[] data = null;
        try {
            SecretKey dataKey = unwrap(envelope, binding);
            data = gcm(Cipher.DECRYPT_MODE, dataKey, envelope.ciphertext(), aad(binding));
            return new String(data, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SealedValueException(binding, "failed authentication (tampered, or bound to another row)", e);
        } finally {
            if (data != null) {
                Arrays.fill(data, (byte) 0);
            }
        }
    }

    /** Re-wraps the data key with the active master key; the value's ciphertext stays as it is. */
    public Envelope rewrap(Envelope envelope, String binding) {
        if (envelope.keyId().equals(ring.activeKeyId())) {
            return envelope;
        }
        try {
            SecretKey dataKey = unwrap(envelope, binding);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, ring.activeKey(), dataKey.getEncoded(), wrapAad(ring.activeKeyId(), binding));
            return new Envelope(ring.activeKeyId(), wrapped, envelope.ciphertext());
        } catch (GeneralSecurityException e) {
            throw new SealedValueException(binding, "failed authentication (tampered, or bound to another row)", e);
        }
    }

    private SecretKey unwrap(Envelope envelope, String binding) throws GeneralSecurityException {
        SecretKey master = ring.key(envelope.keyId()).orElseThrow(() -> new SealedValueException(binding,
                "is sealed with master key '" + envelope.keyId() + "', which is not in the configured key ring", null));
        byte[] raw = gcm(Cipher.DECRYPT_MODE, master, envelope.wrappedDataKey(), wrapAad(envelope.keyId(), binding));
        try {
            return new SecretKeySpec(raw, "AES");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static SecretKey newDataKey() {
        byte[] raw = new byte[DATA_KEY_BYTES];
        RANDOM.nextBytes(raw);
        try {
            return new SecretKeySpec(raw, "AES");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static Cipher newGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    }

    /** Output layout: iv || ciphertext+tag. */
    private static byte[] gcm(int mode, SecretKey key, byte[] input, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = GCM.get();
        if (mode == Cipher.ENCRYPT_MODE) {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(input);
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        }
        if (input.length < IV_BYTES + TAG_BITS / 8) {
            throw new javax.crypto.AEADBadTagException("ciphertext too short");
        }
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, input, 0, IV_BYTES));
        cipher.updateAAD(aad);
        return cipher.doFinal(input, IV_BYTES, input.length - IV_BYTES);
    }

    private static byte[] aad(String binding) {
        return ("tc:value:" + binding).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] wrapAad(String keyId, String binding) {
        return ("tc:data-key:" + keyId + ":" + binding).getBytes(StandardCharsets.UTF_8);
    }
}
