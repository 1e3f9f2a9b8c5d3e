package dev.tokencenter.crypto;

/** The associated data that binds each sealed value to its row: one place, so sealing and opening always agree. */
public final class Bindings {

    private Bindings() {
    }

    public static String credentialSecret(long environmentId) {
        return "credential:" + environmentId + ":secret";
    }

    /** Tokens belong to an upstream credential (shared by the environments that name its AppID). */
    public static String token(long upstreamId) {
        return "token:" + upstreamId;
    }

    /** JS-SDK tickets belong to an upstream credential and a kind ({@code jsapi}, {@code corp_jsapi}, ...). */
    public static String ticket(long upstreamId, String kind) {
        return "ticket:" + upstreamId + ":" + kind;
    }
}
