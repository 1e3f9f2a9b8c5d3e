package dev.tokencenter.registry;

/** A secret as stored: the envelope bytes, the master key id that wraps it, and its hint. Holds no plaintext. */
record SealedSecret(byte[] envelope, String keyId, String hint) {

    @Override
    public String toString() {
        return "SealedSecret[keyId=" + keyId + "]";
    }
}
