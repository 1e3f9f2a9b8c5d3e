package dev.tokencenter.simulator;

/**
 * The {@code encryptedData} / {@code iv} pair a mini program client would receive (both base64).
 */
public record EncryptedPayload(String encryptedData, String iv) {
}
