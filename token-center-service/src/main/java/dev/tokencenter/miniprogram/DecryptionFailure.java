package dev.tokencenter.miniprogram;

/** Why encryptedData could not be turned into this app's user data; the message never quotes the data. */
final class DecryptionFailure extends RuntimeException {

    enum Reason {
        /** encrypted_data or iv is not base64. */
        NOT_BASE64,
        /** The iv is not 16 bytes, the ciphertext not a non-empty multiple of 16 bytes, or the key not 16 bytes. */
        WRONG_SIZE,
        /** The padding is wrong: the data was encrypted with another session_key (stale, or another user's). */
        BAD_PADDING,
        /** The plaintext is not a JSON object (also a sign of another session_key). */
        NOT_JSON,
        /** No watermark, or a watermark naming another AppID. */
        FOREIGN_WATERMARK,
        /** The watermark is older than the configured maximum age. */
        WATERMARK_TOO_OLD
    }

    private final Reason reason;
    private final String field;

    DecryptionFailure(Reason reason, String field, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    Reason reason() {
        return reason;
    }

    /** The request field at fault ({@code encrypted_data} or {@code iv}), or null. */
    String field() {
        return field;
    }
}
