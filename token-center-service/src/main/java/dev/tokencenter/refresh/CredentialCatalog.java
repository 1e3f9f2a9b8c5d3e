package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The in-memory catalog of credentials (tenant/app/env to environment id, upstream credential, AppID, platform, token
 * mode, enabled), read with JDBC from the registry tables. Lookups are plain map reads, safe on any thread. Loading
 * is blocking: full reloads at start-up and on credential changes relayed from other instances run one at a time on
 * the catalog's own loader thread ({@link #reloadInBackground()}), so that a slow database holds up nothing else; a
 * reload swaps in a new snapshot, so readers and single-key lookups never wait for one. The periodic safety net
 * ({@link #reloadInBackgroundIfChanged()}) reads one row, the registry's change counter, and the catalog only when that
 * moved, so an instance holding many credentials costs nothing while the registry is quiet. Secrets are not part of it.
 */
@Component
public class CredentialCatalog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CredentialCatalog.class);

    private final JdbcCatalogReader reader;
    private volatile CatalogSnapshot snapshot = new CatalogSnapshot(List.of());
    private volatile boolean loaded;
    private volatile boolean lastReloadFailed;
    private final Map<Long, SealedSecretCopy> sealedSecrets = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService loader = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "catalog-loader");
        thread.setDaemon(true);
        return thread;
    });
    /** Set while a background reload is queued and has not started reading yet: further requests join it. */
    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    /** Set when a queued reload must read the catalog whatever the change counter says. */
    private final AtomicBoolean forcedReloadQueued = new AtomicBoolean();
    /** The registry change counter as the last full reload read it before reading the catalog; -1 before the first. */
    private volatile long loadedChanges = -1;
    private final AtomicLong version = new AtomicLong();
    private static final long MISS_CHECK_SPACING_MILLIS = 200;
    private final AtomicLong lastMissCheck = new AtomicLong(System.nanoTime() - MISS_CHECK_SPACING_MILLIS * 1_000_000L);
    /** Full reloads run one at a time; {@code swaps} guards every change of the snapshot. */
    private final Object fullReloads = new Object();
    private final Object swaps = new Object();
    private final AtomicLong singleLookups = new AtomicLong();
    private final Map<CredentialKey, Found> foundSince = new HashMap<>();

    CredentialCatalog(JdbcCatalogReader reader) {
        this.reader = reader;
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
        return snapshot.byAppid.getOrDefault(new CatalogSnapshot.TenantAppid(tenant, appid), List.of());
    }

    public Collection<CatalogEntry> entries() {
        return snapshot.entries;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Grows with every change of the loaded credentials, so that a reader can tell that they may have changed. */
    long version() {
        return version.get();
    }

    /**
     * Reads the whole catalog again (blocking JDBC, bounded by the JDBC timeouts). Full reloads run one after another,
     * so the one that read last is the one that stays; an entry a single-key lookup found while this reload was
     * reading is kept (this reload may have read before it was committed).
     */
    public void reload() {
        synchronized (fullReloads) {
            long startedAt = singleLookups.get();
            long changes = reader.registryChanges();
            List<JdbcCatalogReader.LoadedEntry> rows = reader.readAll();
            keepSealedSecrets(rows);
            List<CatalogEntry> entries = rows.stream().map(JdbcCatalogReader.LoadedEntry::entry).toList();
            synchronized (swaps) {
                Map<CredentialKey, CatalogEntry> byKey = new HashMap<>();
                entries.forEach(entry -> byKey.put(entry.key(), entry));
                foundSince.forEach((key, found) -> {
                    if (found.lookup() > startedAt) {
                        byKey.putIfAbsent(key, found.entry());
                    }
                });
                foundSince.values().removeIf(found -> found.lookup() <= startedAt);
                CatalogSnapshot loadedSnapshot = new CatalogSnapshot(List.copyOf(byKey.values()));
                if (!loadedSnapshot.sameEntriesAs(snapshot)) {
                    snapshot = loadedSnapshot;
                    version.incrementAndGet();
                }
            }
            sealedSecrets.keySet().retainAll(entries.stream().map(CatalogEntry::environmentId).collect(Collectors.toSet()));
            loadedChanges = changes;
            loaded = true;
        }
    }


    /**
     * For a lookup that found nothing: reads the catalog again now (blocking) if the registry changed since the last
     * full load, so a credential created a moment ago (its change message still on the way) is found. At most one check
     * per {@value #MISS_CHECK_SPACING_MILLIS} ms, so lookups of names that do not exist cannot flood PostgreSQL.
     */
    public void reloadIfChangedAfterMiss() {
        long now = System.nanoTime();
        long last = lastMissCheck.get();
        if (now - last < MISS_CHECK_SPACING_MILLIS * 1_000_000L || !lastMissCheck.compareAndSet(last, now)) {
            return;
        }
        synchronized (fullReloads) {
            if (!loaded || reader.registryChanges() != loadedChanges) {
                reload();
            }
        }
    }

    /**
     * Queues a full reload on the loader thread and returns at once. A request made while a reload is queued joins it;
     * one made while a reload is reading queues the next, so a change committed meanwhile is not missed. A failed
     * reload (PostgreSQL unreachable) keeps the catalog as it was.
     */
    public void reloadInBackground() {
        forcedReloadQueued.set(true);
        queueReload();
    }

    /**
     * Like {@link #reloadInBackground()}, but reads the catalog only if the registry's change counter moved since the
     * last full reload (or none succeeded yet): the periodic safety net for change messages that did not arrive.
     */
    public void reloadInBackgroundIfChanged() {
        queueReload();
    }

    private void queueReload() {
        if (!reloadQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            loader.execute(() -> {
                reloadQueued.set(false);
                boolean forced = forcedReloadQueued.getAndSet(false);
                try {
                    if (forced || !loaded || reader.registryChanges() != loadedChanges) {
                        reload();
                    }
                    if (lastReloadFailed) {
                        log.info("credential catalog reloaded");
                    }
                    lastReloadFailed = false;
                } catch (RuntimeException e) {
                    if (!lastReloadFailed) {
                        log.warn("credential catalog not reloaded: {}", e.getClass().getSimpleName());
                    }
                    lastReloadFailed = true;
                }
            });
        } catch (RejectedExecutionException e) {
            reloadQueued.set(false); // shutting down
        }
    }

    @Override
    public void destroy() {
        loader.shutdownNow();
    }

    /** Looks one credential up in the database (blocking), for a key the catalog does not know yet. */
    public Optional<CatalogEntry> reload(CredentialKey key) {
        List<JdbcCatalogReader.LoadedEntry> found = reader.read(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        keepSealedSecrets(found);
        CatalogEntry entry = found.get(0).entry();
        synchronized (swaps) {
            foundSince.put(key, new Found(singleLookups.incrementAndGet(), entry));
            Map<Long, CatalogEntry> merged = new HashMap<>(snapshot.byEnvironment);
            merged.values().removeIf(known -> known.key().equals(key));
            merged.put(entry.environmentId(), entry);
            snapshot = new CatalogSnapshot(List.copyOf(merged.values()));
        }
        version.incrementAndGet();
        return Optional.of(entry);
    }

    /** An entry a single-key lookup found, numbered so that a full reload knows whether it read before or after. */
    private record Found(long lookup, CatalogEntry entry) {
    }

    /**
     * The AppID and sealed secret of an environment as the last load read them: what a refresh falls back on while
     * PostgreSQL does not answer (still sealed; opened only for the upstream call).
     */
    Optional<SealedSecretCopy> sealedSecret(long environmentId) {
        return Optional.ofNullable(sealedSecrets.get(environmentId));
    }

    record SealedSecretCopy(String appid, byte[] envelope) {
    }

    private void keepSealedSecrets(List<JdbcCatalogReader.LoadedEntry> loaded) {
        loaded.forEach(row -> sealedSecrets.put(row.entry().environmentId(), row.sealedSecret()));
    }

}
