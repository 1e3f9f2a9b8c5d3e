package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.registry.UpstreamKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Reads the credential catalog from the registry tables (blocking JDBC, bounded by the JDBC timeouts): every
 * credential with its upstream credential id and a sealed copy of its secret, and the registry's change counter.
 */
@Component
class JdbcCatalogReader {

    private static final String SELECT = """
            select e.id as environment_id, t.id as tenant, a.slug as app, e.name as env, a.platform, e.token_mode,
                   e.enabled, c.appid, c.agent_id, c.secret_envelope
            from environment e
            join app a on a.id = e.app_id
            join tenant t on t.id = a.tenant_id
            join credential c on c.environment_id = e.id
            """;

    /** A catalog entry with the sealed secret it was read with. */
    record LoadedEntry(CatalogEntry entry, CredentialCatalog.SealedSecretCopy sealedSecret) {
    }

    private record Row(long environmentId, CredentialKey key, String upstreamKey, String appid, String platform,
                       TokenMode mode, boolean enabled, byte[] sealedSecret) {
    }

    private final JdbcTemplate jdbc;
    private final UpstreamCredentialIds upstreamIds;

    JdbcCatalogReader(JdbcTemplate jdbc, UpstreamCredentialIds upstreamIds) {
        this.jdbc = jdbc;
        this.upstreamIds = upstreamIds;
    }

    List<LoadedEntry> readAll() {
        return withUpstreamIds(jdbc.query(SELECT, (rs, n) -> row(rs)));
    }

    List<LoadedEntry> read(CredentialKey key) {
        return withUpstreamIds(jdbc.query(SELECT + " where t.id = ? and a.slug = ? and e.name = ?",
                (rs, n) -> row(rs), key.tenant(), key.app(), key.env()));
    }

    /** The registry's change counter (moved forward by every change of the tables read here). */
    long registryChanges() {
        Long changes = jdbc.queryForObject("select changes from registry_change", Long.class);
        return changes == null ? 0 : changes;
    }

    private List<LoadedEntry> withUpstreamIds(List<Row> rows) {
        Map<String, Long> ids = upstreamIds.idsOf(rows.stream().map(Row::upstreamKey).toList());
        return rows.stream().map(row -> new LoadedEntry(
                new CatalogEntry(row.environmentId(), row.key(), ids.get(row.upstreamKey()), row.upstreamKey(),
                        row.appid(), row.platform(), row.mode(), row.enabled()),
                new CredentialCatalog.SealedSecretCopy(row.appid(), row.sealedSecret()))).toList();
    }

    private static Row row(ResultSet rs) throws SQLException {
        long environmentId = rs.getLong("environment_id");
        String platform = rs.getString("platform");
        String tokenMode = rs.getString("token_mode");
        String appid = rs.getString("appid");
        return new Row(environmentId, new CredentialKey(rs.getString("tenant"), rs.getString("app"), rs.getString("env")),
                UpstreamKey.of(platform, tokenMode, appid, rs.getString("agent_id"), environmentId), appid, platform,
                TokenMode.of(platform, tokenMode), rs.getBoolean("enabled"), rs.getBytes("secret_envelope"));
    }
}
