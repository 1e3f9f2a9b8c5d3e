package dev.tokencenter.client;

import java.time.Instant;
import java.util.List;

public record ApiClientView(String clientId, String tenant, String name, List<ClientGrant> grants, Instant createdAt,
                            Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
