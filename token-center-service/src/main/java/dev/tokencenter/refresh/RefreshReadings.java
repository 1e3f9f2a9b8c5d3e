package dev.tokencenter.refresh;

import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The refresh engine as monitoring sees it: whether it runs, and each environment's state, token lifetime and quota
 * from the shared (Redis) state. {@link #read()} blocks on Redis: call it off event loops.
 */
@Component
public class RefreshReadings {

    private final CredentialCatalog catalog;
    private final RedisTokenStore store;
    private final QuotaAccounting quota;
    private final RefreshProperties properties;
    private final RefreshScheduler scheduler;
    private final RefreshEngine engine;
    private final RefreshMeters meters;
    private final ChangedStatuses changed;

    RefreshReadings(CredentialCatalog catalog, RedisTokenStore store, QuotaAccounting quota,
                    RefreshProperties properties, RefreshScheduler scheduler, RefreshEngine engine, RefreshMeters meters,
                    ChangedStatuses changed) {
        this.meters = meters;
        this.changed = changed;
        this.catalog = catalog;
        this.store = store;
        this.quota = quota;
        this.properties = properties;
        this.scheduler = scheduler;
        this.engine = engine;
    }

    /** The scheduler runs and the engine takes work. */
    public boolean engineRunning() {
        return scheduler.isRunning() && !engine.isStopping();
    }

    /** Whether the credential catalog has been read from PostgreSQL at least once. */
    public boolean catalogLoaded() {
        return catalog.isLoaded();
    }

    /**
     * Every environment of the catalog, read in two Redis round trips (statuses, quota counters). The refresh counters
     * of environments no longer in the catalog are removed on the way. Clears the changes noted so far: this reading
     * includes them.
     */
    public List<EnvironmentReading> read() {
        changed.drain();
        Collection<CatalogEntry> entries = catalog.entries();
        meters.forgetGone();
        return read(entries);
    }

    /**
     * The environments whose credential's status changed (written here or announced by another instance) since the
     * previous {@link #read()} or {@code readChanged()}: what an idle instance reads is what changed, not everything.
     * If the read fails, the changes stay noted for the next call.
     */
    public List<EnvironmentReading> readChanged() {
        List<Long> ids = changed.drain();
        if (ids.isEmpty()) {
            return List.of();
        }
        try {
            return read(ids.stream().flatMap(id -> catalog.sharing(id).stream()).toList());
        } catch (RuntimeException e) {
            changed.restore(ids);
            throw e;
        }
    }

    /** Grows with every change of the catalog's environments (added, removed, changed). */
    public long catalogVersion() {
        return catalog.version();
    }

    /** The quota day (UTC+8) today's counters belong to. */
    public LocalDate quotaDay() {
        return quota.quotaDay();
    }

    private List<EnvironmentReading> read(Collection<CatalogEntry> entries) {
        List<Long> ids = entries.stream().map(CatalogEntry::upstreamId).distinct().toList();
        Map<Long, RefreshStatus> statuses = store.statuses(ids);
        Map<Long, Map<String, Long>> used = quota.usedToday(ids);
        return entries.stream().map(entry -> reading(entry, statuses.get(entry.upstreamId()),
                used.getOrDefault(entry.upstreamId(), Map.of()))).toList();
    }

    /** The AppID an environment names now, for {@link EnvironmentReading#with}. */
    public Optional<String> appidOf(long environmentId) {
        return catalog.find(environmentId).map(CatalogEntry::appid);
    }

    private EnvironmentReading reading(CatalogEntry entry, RefreshStatus status, Map<String, Long> used) {
        RefreshStatus shown = status == null ? RefreshStatus.none() : status;
        String endpoint = entry.mode().endpoint().path();
        var minimumLifetime = properties.minimumLifetimeFor(entry.mode());
        return new EnvironmentReading(entry.key(), entry.enabled(), shown.state(),
                EnvironmentReading.servableUntil(shown, entry.appid(), minimumLifetime), minimumLifetime, endpoint,
                used.getOrDefault(endpoint, 0L), quota.dailyLimit(entry.mode().endpoint()),
                shown.lastError() == null ? null : shown.lastError().errcode());
    }
}
