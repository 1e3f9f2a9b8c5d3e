package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs on every instance: loads the catalog, then every {@code scheduler-period} reads the statuses of all upstream
 * credentials in one round trip and hands those that are due to the engine (whose lock decides which instance calls upstream).
 * Also reloads the catalog periodically and tells near caches which sequence is current.
 */
@Component
class RefreshScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);

    private final CredentialCatalog catalog;
    private final RefreshEngine engine;
    private final SharedTokenStore store;
    private final TokenChangeBus bus;
    private final RefreshProperties properties;
    private final Clock clock;
    private ScheduledExecutorService ticker;
    private ScheduledFuture<?> ticks;
    private volatile boolean running;
    private volatile Instant lastCatalogLoad = Instant.EPOCH;

    RefreshScheduler(CredentialCatalog catalog, RefreshEngine engine, SharedTokenStore store, TokenChangeBus bus,
                     RefreshProperties properties, Clock clock) {
        this.catalog = catalog;
        this.engine = engine;
        this.store = store;
        this.bus = bus;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "refresh-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        ticks = ticker.scheduleWithFixedDelay(this::tick, 0, properties.schedulerPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            reloadCatalogWhenDue();
            if (!properties.schedulerEnabled() || engine.isStopping()) {
                return;
            }
            List<CatalogEntry> units = List.copyOf(catalog.refreshUnits());
            Map<Long, RefreshStatus> statuses = store.statuses(units.stream().map(CatalogEntry::upstreamId).toList());
            Instant now = clock.instant();
            for (CatalogEntry entry : units) {
                RefreshStatus status = statuses.getOrDefault(entry.upstreamId(), RefreshStatus.none());
                if (status.hasToken()) {
                    bus.hintLatest(entry.upstreamId(), status.sequence());
                }
                if (RefreshEngine.isDue(status, entry, now) && !engine.backingOffLocally(entry.upstreamId(), now)) {
                    engine.scheduled(entry);
                }
            }
        } catch (RuntimeException e) {
            log.warn("refresh scheduler tick failed: {}", e.toString());
        }
    }

    /** A failed reload (PostgreSQL unreachable) keeps the catalog it had: refreshes go on. */
    private void reloadCatalogWhenDue() {
        Instant wallNow = Instant.now();
        if (catalog.isLoaded() && !wallNow.isAfter(lastCatalogLoad.plus(properties.catalogReloadPeriod()))) {
            return;
        }
        try {
            catalog.reload();
            lastCatalogLoad = wallNow;
        } catch (RuntimeException e) {
            if (catalog.isLoaded()) {
                lastCatalogLoad = wallNow;
            }
            log.warn("credential catalog not reloaded: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void stop() {
        running = false;
        if (ticks != null) {
            ticks.cancel(false);
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
