package dev.tokencenter.client;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads an active client and its grants with plain JDBC (blocking: call it on boundedElastic). */
@Component
class JdbcApiClientStore {

    private static final String ACTIVE_CLIENT = """
            select c.tenant_id, c.key_hash, g.app_slug, g.env_name
              from api_client c
              left join api_client_grant g on g.client_id = c.id
             where c.id = ? and c.revoked_at is null
            """;

    private final JdbcTemplate jdbc;

    JdbcApiClientStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<ClientPrincipal> findActive(String clientId) {
        List<ClientGrant> grants = new ArrayList<>();
        String[] tenantAndHash = new String[2];
        jdbc.query(ACTIVE_CLIENT, rs -> {
            tenantAndHash[0] = rs.getString(1);
            tenantAndHash[1] = rs.getString(2);
            String app = rs.getString(3);
            if (app != null) {
                grants.add(new ClientGrant(app, rs.getString(4)));
            }
        }, clientId);
        if (tenantAndHash[0] == null) {
            return Optional.empty();
        }
        return Optional.of(new ClientPrincipal(clientId, tenantAndHash[0], tenantAndHash[1], new ClientGrants(grants)));
    }
}
