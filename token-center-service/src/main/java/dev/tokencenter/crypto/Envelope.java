package dev.tokencenter.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A value sealed with envelope encryption: a per-value AES-256 data key, wrapped (AES-GCM) by the master key
 * {@code keyId}, and the value encrypted (AES-GCM) with that data key. Serialised as one self-describing byte array.
 */
public record Envelope(String keyId, byte[] wrappedDataKey, byte[] ciphertext) {

    private static final byte FORMAT_VERSION = 1;

    public byte[] toBytes() {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 1 + id.length + 2 + wrappedDataKey.length + ciphertext.length);
        buffer.put(FORMAT_VERSION).put((byte) id.length).put(id)
                .putShort((short) wrappedDataKey.length).put(wrappedDataKey).put(ciphertext);
        return buffer.array();
    }

    public static Envelope fromBytes(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            if (buffer.get() != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown envelope format");
            }
            byte[] id = new byte[buffer.get()];
            buffer.get(id);
            byte[] wrapped = new byte[buffer.getShort()];
            buffer.get(wrapped);
            byte[] ciphertext = new byte[buffer.remaining()];
            buffer.get(ciphertext);
            return new Envelope(new String(id, StandardCharsets.US_ASCII), wrapped, ciphertext);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed envelope", e);
        }
    }
}
