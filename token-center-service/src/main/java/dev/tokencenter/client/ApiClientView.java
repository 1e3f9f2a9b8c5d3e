package dev.tokencenter.client;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

public record ApiClientView(String clientId, String tenant, String name, List<ClientGrant> grants, Instant createdAt,
                            Instant revokedAt) {

    @JsonProperty("revoked")
    public boolean revoked() {
        return revokedAt != null;
    }
}
