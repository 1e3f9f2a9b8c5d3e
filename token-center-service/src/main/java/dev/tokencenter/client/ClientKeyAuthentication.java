package dev.tokencenter.client;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * Before authentication: the presented bearer key ({@link #unverified(String)}); after: the {@link ClientPrincipal} it
 * belongs to. Never prints the key.
 */
public final class ClientKeyAuthentication extends AbstractAuthenticationToken {

    private final String key;
    private final ClientPrincipal client;

    private ClientKeyAuthentication(String key, ClientPrincipal client) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.key = key;
        this.client = client;
        super.setAuthenticated(client != null);
    }

    public static ClientKeyAuthentication unverified(String key) {
        return new ClientKeyAuthentication(key, null);
    }

    public static ClientKeyAuthentication verified(ClientPrincipal client) {
        return new ClientKeyAuthentication(null, client);
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Object getPrincipal() {
        return client;
    }

    @Override
    public String getName() {
        return client == null ? "" : client.id();
    }

    public ClientPrincipal client() {
        return client;
    }

    String key() {
        return key;
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("only the key check authenticates a client");
        }
        super.setAuthenticated(false);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return client == null ? "ClientKeyAuthentication[unverified]" : "ClientKeyAuthentication[" + client + "]";
    }
}
