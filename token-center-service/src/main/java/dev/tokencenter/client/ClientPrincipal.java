package dev.tokencenter.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An active (not revoked) API client as the token API sees it: its tenant, grants and the stored hash of its key.
 * Remembers the last key that matched the hash, so later requests compare bytes in constant time instead of
 * hashing again.
 */
public final class ClientPrincipal {

    /** Exchange attribute under which the security chain leaves the authenticated client for the handlers. */
    public static final String EXCHANGE_ATTRIBUTE = ClientPrincipal.class.getName();

    private final String id;
    private final String tenant;
    private final String keyHash;
    private final ClientGrants grants;
    private volatile byte[] verifiedKey;

    public ClientPrincipal(String id, String tenant, String keyHash, ClientGrants grants) {
        this.id = id;
        this.tenant = tenant;
        this.keyHash = keyHash;
        this.grants = grants;
    }

    public String id() {
        return id;
    }

    public String tenant() {
        return tenant;
    }

    /** Whether the client may read tokens of this credential: its own tenant and a granted app/env pair. */
    public boolean mayRead(String tenant, String app, String env) {
        return mayUse(ClientRight.TOKEN, tenant, app, env);
    }

    /** Whether the client may make this kind of call for this credential: its own tenant and a grant with the right. */
    public boolean mayUse(ClientRight right, String tenant, String app, String env) {
        return this.tenant.equals(tenant) && grants.allows(right, app, env);
    }

    /** Whether the client may read anything of this tenant at all. */
    public boolean belongsTo(String tenant) {
        return this.tenant.equals(tenant);
    }

    boolean acceptsKey(String key) {
        byte[] presented = key.getBytes(StandardCharsets.US_ASCII);
        byte[] known = verifiedKey;
        if (known != null && MessageDigest.isEqual(presented, known)) {
            return true;
        }
        if (ClientKeys.matches(key, keyHash)) {
            verifiedKey = presented;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "ClientPrincipal[" + id + ", tenant=" + tenant + "]";
    }
}
