package dev.tokencenter.client;

import dev.tokencenter.registry.GrantRevoker;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Removes the API client grants that name a deleted app (or app and environment), in the deleting transaction, so
 * that a later app or environment with the same slug is not reachable through an old grant. Wildcard grants stay.
 */
@Component
class JdbcGrantRevoker implements GrantRevoker {

    private final JdbcTemplate jdbc;

    JdbcGrantRevoker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> revokeApp(String tenant, String app, List<Object> events) {
        List<String> clients = jdbc.queryForList("""
                delete from api_client_grant g using api_client c
                 where g.client_id = c.id and c.tenant_id = ? and g.app_slug = ?
                returning g.client_id""", String.class, tenant, app);
        return announce(tenant, clients, events);
    }

    @Override
    public List<String> revokeEnvironment(String tenant, String app, String env, List<Object> events) {
        List<String> clients = jdbc.queryForList("""
                delete from api_client_grant g using api_client c
                 where g.client_id = c.id and c.tenant_id = ? and g.app_slug = ? and g.env_name = ?
                returning g.client_id""", String.class, tenant, app, env);
        return announce(tenant, clients, events);
    }

    private static List<String> announce(String tenant, List<String> clients, List<Object> events) {
        List<String> distinct = clients.stream().distinct().sorted().toList();
        distinct.forEach(client -> events.add(new ApiClientChangedEvent(client, tenant, false)));
        return distinct;
    }
}
