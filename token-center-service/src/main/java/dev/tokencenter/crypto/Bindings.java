package dev.tokencenter.crypto;

/** The associated data that binds each sealed value to its row: one place, so sealing and opening always agree. */
public final class Bindings {

    private Bindings() {
    }

    public static String credentialSecret(long environmentId) {
        return "credential:" + environmentId + ":secret";
    }

    public static String token(long environmentId) {
        return "token:" + environmentId;
    }
}
