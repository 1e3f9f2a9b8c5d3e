package dev.tokencenter.registry;

/**
 * The API clients a tenant owns, as far as deleting the tenant is concerned. The registry calls it inside the
 * deleting transaction; the feature that keeps clients implements it.
 */
public interface TenantClients {

    /** How many of the tenant's clients are not revoked (a tenant with active clients is not deleted). */
    long activeClients(String tenant);

    /** Deletes the tenant's revoked clients and their grants; returns how many. */
    int deleteRevokedClients(String tenant);
}
