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
 * Also tells near caches which sequence is current. A tick reads only memory and Redis: it asks for catalog reloads
 * (start-up, then every {@code catalog-reload-period}) but never waits for them, so a slow or stalled PostgreSQL
 * cannot hold it up.
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
    private volatile Instant nextCatalogLoad = Instant.EPOCH;

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

    /** Until the catalog is first loaded, asks on every tick (requests coalesce while one is under way). */
    private void reloadCatalogWhenDue() {
        Instant wallNow = Instant.now();
        if (catalog.isLoaded() && wallNow.isBefore(nextCatalogLoad)) {
            return;
        }
        nextCatalogLoad = wallNow.plus(properties.catalogReloadPeriod());
        catalog.reloadInBackground();
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
