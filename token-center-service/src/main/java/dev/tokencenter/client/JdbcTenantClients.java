package dev.tokencenter.client;

import dev.tokencenter.registry.TenantClients;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The tenant's clients in PostgreSQL, for deleting the tenant (grants go with their client: on delete cascade). */
@Component
class JdbcTenantClients implements TenantClients {

    private final JdbcTemplate jdbc;

    JdbcTenantClients(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long activeClients(String tenant) {
        Long count = jdbc.queryForObject("select count(*) from api_client where tenant_id = ? and revoked_at is null",
                Long.class, tenant);
        return count == null ? 0 : count;
    }

    @Override
    public int deleteRevokedClients(String tenant) {
        return jdbc.update("delete from api_client where tenant_id = ? and revoked_at is not null", tenant);
    }
}
