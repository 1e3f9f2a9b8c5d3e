package dev.tokencenter.refresh;

import dev.tokencenter.registry.UpstreamKey;
import dev.tokencenter.token.CredentialKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory catalog of credentials (tenant/app/env to environment id, upstream credential, AppID, platform, token
 * mode, enabled), read with JDBC from the registry tables. Lookups are plain map reads, safe on any thread; loading
 * is blocking and happens on refresh workers: at start-up, on every credential change (here or, relayed through
 * Redis, on another instance) and periodically as a safety net. Secrets are not part of it.
 */
@Component
public class CredentialCatalog {

    private static final String SELECT = """
            select e.id as environment_id, t.id as tenant, a.slug as app, e.name as env, a.platform, e.token_mode,
                   e.enabled, c.appid, c.agent_id
            from environment e
            join app a on a.id = e.app_id
            join tenant t on t.id = a.tenant_id
            join credential c on c.environment_id = e.id
            """;

    private record Row(long environmentId, CredentialKey key, String upstreamKey, String appid, String platform,
                       TokenMode mode, boolean enabled) {
    }

    private final JdbcTemplate jdbc;
    private final UpstreamCredentialIds upstreamIds;
    private volatile Snapshot snapshot = new Snapshot(List.of());
    private volatile boolean loaded;
    private final AtomicLong version = new AtomicLong();

    CredentialCatalog(JdbcTemplate jdbc, UpstreamCredentialIds upstreamIds) {
        this.jdbc = jdbc;
        this.upstreamIds = upstreamIds;
    }

    public Optional<CatalogEntry> find(CredentialKey key) {
        return Optional.ofNullable(snapshot.byKey.get(key));
    }

    public Optional<CatalogEntry> find(long environmentId) {
        return Optional.ofNullable(snapshot.byEnvironment.get(environmentId));
    }

    /** The environments that share upstream credential {@code upstreamId}, enabled ones first, then by age. */
    public List<CatalogEntry> sharing(long upstreamId) {
        return snapshot.byUpstream.getOrDefault(upstreamId, List.of());
    }

    /**
     * The environment that stands for an upstream credential in a refresh (its secret is the one all sharers hold):
     * the oldest enabled one; empty when none is enabled or the credential is gone.
     */
    Optional<CatalogEntry> refreshable(long upstreamId) {
        return sharing(upstreamId).stream().filter(CatalogEntry::enabled).findFirst();
    }

    /** One entry per upstream credential with an enabled environment: what the scheduler refreshes. */
    Collection<CatalogEntry> refreshUnits() {
        return snapshot.units;
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
                .sorted(ENABLED_FIRST_THEN_OLDEST)
                .map(CatalogEntry::key)
                .toList();
    }

    public Collection<CatalogEntry> entries() {
        return snapshot.entries;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Grows with every (re)load, so that a reader can tell that the set of credentials may have changed. */
    long version() {
        return version.get();
    }

    /** Reads the whole catalog again (blocking JDBC). */
    public void reload() {
        snapshot = new Snapshot(withUpstreamIds(jdbc.query(SELECT, (rs, n) -> row(rs))));
        loaded = true;
        version.incrementAndGet();
    }

    /** Looks one credential up in the database (blocking), for a key the catalog does not know yet. */
    public Optional<CatalogEntry> reload(CredentialKey key) {
        List<CatalogEntry> found = withUpstreamIds(jdbc.query(SELECT + " where t.id = ? and a.slug = ? and e.name = ?",
                (rs, n) -> row(rs), key.tenant(), key.app(), key.env()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            Map<Long, CatalogEntry> merged = new HashMap<>(snapshot.byEnvironment);
            merged.values().removeIf(entry -> entry.key().equals(key));
            merged.put(found.get(0).environmentId(), found.get(0));
            snapshot = new Snapshot(List.copyOf(merged.values()));
            version.incrementAndGet();
        }
        return Optional.of(found.get(0));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        long environmentId = rs.getLong("environment_id");
        String platform = rs.getString("platform");
        String tokenMode = rs.getString("token_mode");
        String appid = rs.getString("appid");
        return new Row(environmentId, new CredentialKey(rs.getString("tenant"), rs.getString("app"), rs.getString("env")),
                UpstreamKey.of(platform, tokenMode, appid, rs.getString("agent_id"), environmentId), appid, platform,
                TokenMode.of(platform, tokenMode), rs.getBoolean("enabled"));
    }

    private List<CatalogEntry> withUpstreamIds(List<Row> rows) {
        Map<String, Long> ids = upstreamIds.idsOf(rows.stream().map(Row::upstreamKey).toList());
        return rows.stream().map(row -> new CatalogEntry(row.environmentId(), row.key(), ids.get(row.upstreamKey()),
                row.upstreamKey(), row.appid(), row.platform(), row.mode(), row.enabled())).toList();
    }

    private static final Comparator<CatalogEntry> ENABLED_FIRST_THEN_OLDEST =
            Comparator.comparing((CatalogEntry entry) -> !entry.enabled()).thenComparingLong(CatalogEntry::environmentId);

    private static final class Snapshot {
        final List<CatalogEntry> entries;
        final Map<CredentialKey, CatalogEntry> byKey = new HashMap<>();
        final Map<Long, CatalogEntry> byEnvironment = new HashMap<>();
        final Map<Long, List<CatalogEntry>> byUpstream = new LinkedHashMap<>();
        final List<CatalogEntry> units = new ArrayList<>();

        Snapshot(List<CatalogEntry> entries) {
            this.entries = List.copyOf(entries);
            Map<Long, List<CatalogEntry>> grouped = new HashMap<>();
            for (CatalogEntry entry : entries) {
                byKey.put(entry.key(), entry);
                byEnvironment.put(entry.environmentId(), entry);
                grouped.computeIfAbsent(entry.upstreamId(), id -> new ArrayList<>()).add(entry);
            }
            grouped.forEach((id, sharing) -> {
                List<CatalogEntry> ordered = sharing.stream().sorted(ENABLED_FIRST_THEN_OLDEST).toList();
                byUpstream.put(id, ordered);
                if (ordered.get(0).enabled()) {
                    units.add(ordered.get(0));
                }
            });
        }
    }
}
