package dev.tokencenter.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an active client and its grants with plain JDBC (blocking: call it on boundedElastic). Every read of one
 * client is counted ({@code token_center.clients.store.reads}): the figure a flood of made-up keys must not drive up.
 */
@Component
class JdbcApiClientStore implements ApiClientStore {

    private static final String ACTIVE_CLIENT = """
            select c.tenant_id, c.key_hash, g.app_slug, g.env_name, g.rights
              from api_client c
              left join api_client_grant g on g.client_id = c.id
             where c.id = ? and c.revoked_at is null
            """;

    private final JdbcTemplate jdbc;
    private final Counter reads;

    JdbcApiClientStore(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.reads = Counter.builder("token_center.clients.store.reads")
                .description("Reads of one API client from PostgreSQL (cache misses and background refreshes)")
                .register(meters);
    }

    @Override
    public Optional<ClientPrincipal> findActive(String clientId) {
        reads.increment();
        List<ClientGrant> grants = new ArrayList<>();
        String[] tenantAndHash = new String[2];
        jdbc.query(ACTIVE_CLIENT, rs -> {
            tenantAndHash[0] = rs.getString(1);
            tenantAndHash[1] = rs.getString(2);
            String app = rs.getString(3);
            if (app != null) {
                grants.add(new ClientGrant(app, rs.getString(4), List.of((String[]) rs.getArray(5).getArray())));
            }
        }, clientId);
        if (tenantAndHash[0] == null) {
            return Optional.empty();
        }
        return Optional.of(new ClientPrincipal(clientId, tenantAndHash[0], tenantAndHash[1], new ClientGrants(grants)));
    }

    @Override
    public Set<String> activeIds() {
        return new HashSet<>(jdbc.queryForList("select id from api_client where revoked_at is null", String.class));
    }
}
