package dev.tokencenter.client;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** An internal service allowed to fetch tokens; only the SHA-256 hash of its key is stored. */
@Entity
@Table(name = "api_client")
class ApiClient {

    @Id
    private String id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(nullable = false)
    private String name;

    @Column(name = "key_hash", nullable = false)
    private String keyHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "api_client_grant", joinColumns = @JoinColumn(name = "client_id"))
    private Set<GrantEntry> grants = new LinkedHashSet<>();

    protected ApiClient() {
    }

    ApiClient(String id, String tenantId, String name, String keyHash, Set<GrantEntry> grants, Instant createdAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.keyHash = keyHash;
        this.grants = new LinkedHashSet<>(grants);
        this.createdAt = createdAt;
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }

    String id() {
        return id;
    }

    String tenantId() {
        return tenantId;
    }

    String name() {
        return name;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    void replaceGrants(Set<GrantEntry> newGrants) {
        grants.clear();
        grants.addAll(newGrants);
    }

    Set<GrantEntry> grants() {
        return grants;
    }

    @Override
    public String toString() {
        return "ApiClient[" + id + ", tenant " + tenantId + "]";
    }
}
