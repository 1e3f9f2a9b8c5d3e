package dev.tokencenter.refresh;

import dev.tokencenter.token.CredentialKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory catalog of credentials (tenant/app/env to environment id, AppID, platform, token mode, enabled),
 * read with JDBC from the registry tables. Lookups are plain map reads, safe on any thread; loading is blocking and
 * happens on refresh workers: at start-up, on every credential change (here or, relayed through Redis, on another
 * instance) and periodically as a safety net. Secrets are not part of it.
 */
@Component
public class CredentialCatalog {

    private static final String SELECT = """
            select e.id as environment_id, t.id as tenant, a.slug as app, e.name as env, a.platform, e.token_mode,
                   e.enabled, c.appid
            from environment e
            join app a on a.id = e.app_id
            join tenant t on t.id = a.tenant_id
            join credential c on c.environment_id = e.id
            """;

    private static final RowMapper<CatalogEntry> ROW = (rs, n) -> new CatalogEntry(
            rs.getLong("environment_id"),
            new CredentialKey(rs.getString("tenant"), rs.getString("app"), rs.getString("env")),
            rs.getString("appid"),
            rs.getString("platform"),
            TokenMode.of(rs.getString("platform"), rs.getString("token_mode")),
            rs.getBoolean("enabled"));

    private final JdbcTemplate jdbc;
    private volatile Snapshot snapshot = new Snapshot(List.of());
    private volatile boolean loaded;

    CredentialCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CatalogEntry> find(CredentialKey key) {
        return Optional.ofNullable(snapshot.byKey.get(key));
    }

    public Optional<CatalogEntry> find(long environmentId) {
        return Optional.ofNullable(snapshot.byEnvironment.get(environmentId));
    }

    /**
     * The credential of {@code tenant} whose AppID (or WeCom corp id) is {@code appid}, for the WeChat-compatible
     * endpoints. When several environments of the tenant share the AppID, enabled ones win, then the oldest.
     */
    public Optional<CredentialKey> findByAppid(String tenant, String appid) {
        return findAllByAppid(tenant, appid).stream().findFirst();
    }

    /** Every credential of {@code tenant} with this AppID, enabled ones first, then by age. */
    public List<CredentialKey> findAllByAppid(String tenant, String appid) {
        return snapshot.entries.stream()
                .filter(entry -> entry.key().tenant().equals(tenant) && entry.appid().equals(appid))
                .sorted(Comparator.comparing((CatalogEntry entry) -> !entry.enabled())
                        .thenComparingLong(CatalogEntry::environmentId))
                .map(CatalogEntry::key)
                .toList();
    }

    public Collection<CatalogEntry> entries() {
        return snapshot.entries;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Reads the whole catalog again (blocking JDBC). */
    public synchronized void reload() {
        snapshot = new Snapshot(jdbc.query(SELECT, ROW));
        loaded = true;
    }

    /** Looks one credential up in the database (blocking), for a key the catalog does not know yet. */
    public synchronized Optional<CatalogEntry> reload(CredentialKey key) {
        List<CatalogEntry> found = jdbc.query(SELECT + " where t.id = ? and a.slug = ? and e.name = ?", ROW,
                key.tenant(), key.app(), key.env());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<Long, CatalogEntry> merged = new HashMap<>(snapshot.byEnvironment);
        merged.values().removeIf(entry -> entry.key().equals(key));
        merged.put(found.get(0).environmentId(), found.get(0));
        snapshot = new Snapshot(List.copyOf(merged.values()));
        return Optional.of(found.get(0));
    }

    private static final class Snapshot {
        final List<CatalogEntry> entries;
        final Map<CredentialKey, CatalogEntry> byKey = new HashMap<>();
        final Map<Long, CatalogEntry> byEnvironment = new HashMap<>();

        Snapshot(List<CatalogEntry> entries) {
            this.entries = List.copyOf(entries);
            for (CatalogEntry entry : entries) {
                byKey.put(entry.key(), entry);
                byEnvironment.put(entry.environmentId(), entry);
            }
        }
    }
}
