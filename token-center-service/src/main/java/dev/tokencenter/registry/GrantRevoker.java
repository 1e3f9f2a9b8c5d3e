package dev.tokencenter.registry;

import java.util.List;

/**
 * Takes back what was granted on an app or environment that is being deleted, inside the deleting transaction, so
 * that a later app or environment with the same slug is not reachable through an old grant. The registry calls it;
 * the feature that keeps grants (API clients) implements it.
 */
public interface GrantRevoker {

    /**
     * Revokes every grant that names the app (any of its environments).
     *
     * @param events collects the events to publish after the commit
     * @return the ids of the holders that lost a grant, sorted
     */
    List<String> revokeApp(String tenant, String app, List<Object> events);

    /** Revokes every grant that names the environment; as {@link #revokeApp}. */
    List<String> revokeEnvironment(String tenant, String app, String env, List<Object> events);
}
