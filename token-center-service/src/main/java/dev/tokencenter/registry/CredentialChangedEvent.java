package dev.tokencenter.registry;

/**
 * Published (as a Spring application event, after the change is committed) whenever an environment or its
 * credential is created, updated, has its secret rotated, is enabled/disabled or deleted.
 */
public record CredentialChangedEvent(long environmentId, String tenant, String app, String env, Change change) {

    public enum Change { CREATED, UPDATED, SECRET_ROTATED, DISABLED, ENABLED, DELETED }
}
