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

    /**
     * A mini program session's sealed session_key: bound to its environment (row, {@code tenant/app/env} and AppID)
     * and its session id, so that it opens under no other environment, AppID or session.
     */
    public static String miniProgramSession(long environmentId, String credential, String appid, String sessionId) {
        return "mp-session:" + environmentId + ":" + credential + ":" + appid + ":" + sessionId;
    }

    /** JS-SDK tickets belong to an upstream credential and a kind ({@code jsapi}, {@code corp_jsapi}, ...). */
    public static String ticket(long upstreamId, String kind) {
        return "ticket:" + upstreamId + ":" + kind;
    }
}
