package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs on every instance and hands the upstream credentials that are due to the engine (whose lock decides which
 * instance calls upstream). It works from the {@link DueIndex}, so a tick costs in proportion to what is due, not to
 * what exists: it wakes when the earliest credential falls due (at the latest every {@code scheduler-period}), takes
 * the due ones, as many as the engine's queue has room for, and re-indexes each from its attempt's outcome. Whenever
 * the catalog's credentials change, and at least every {@code status-resync-period}, it resyncs the whole index from
 * the shared statuses and tells near caches which sequence is current and which credentials are still served: the
 * safety net for lost status-changed messages, and what drops the tokens of deleted or disabled credentials. Every {@code catalog-reload-period} it asks the catalog to check the registry for changes it did not hear
 * of. Catalog reloads are only asked for, never waited for: a slow or stalled PostgreSQL cannot hold a tick up.
 */
@Component
class RefreshScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);
    /** Ticks are at least this far apart, so that credentials falling due together are taken together. */
    private static final Duration MINIMUM_SPACING = Duration.ofMillis(20);

    private final CredentialCatalog catalog;
    private final RefreshEngine engine;
    private final RedisTokenStore store;
    private final TokenChangeBus bus;
    private final DueIndex due;
    private final RefreshProperties properties;
    private final Clock clock;
    private final Object arming = new Object();
    private ScheduledExecutorService ticker;
    private ScheduledFuture<?> nextTick;
    private Instant nextTickAt = Instant.MAX;
    private volatile boolean running;
    private volatile Instant nextCatalogLoad = Instant.EPOCH;
    private volatile long syncedCatalogVersion = -1;
    private volatile Instant nextResyncAttempt = Instant.EPOCH;
    private volatile Instant nextPeriodicResync = Instant.EPOCH;

    RefreshScheduler(CredentialCatalog catalog, RefreshEngine engine, RedisTokenStore store, TokenChangeBus bus,
                     DueIndex due, RefreshProperties properties, Clock clock) {
        this.catalog = catalog;
        this.engine = engine;
        this.store = store;
        this.bus = bus;
        this.due = due;
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
        due.onEarlierHead(this::wakeBy);
        arm(Duration.ZERO);
    }

    void tick() {
        synchronized (arming) {
            nextTick = null; // this one is running: none is planned until a wake-up or the end of this tick
            nextTickAt = Instant.MAX;
        }
        Duration untilNext = properties.schedulerPeriod();
        try {
            reloadCatalogWhenDue();
            if (!properties.schedulerEnabled() || engine.isStopping()) {
                return;
            }
            // without Redis the index follows token_state (OutageFollower) instead
            if (catalog.isLoaded() && !engine.withoutRedis() && (catalog.version() != syncedCatalogVersion
                    || !Instant.now().isBefore(nextPeriodicResync))) {
                resyncOrRetryLater();
            }
            untilNext = dispatchDue();
        } catch (RuntimeException e) {
            log.warn("refresh scheduler tick failed: {}", e.toString());
        } finally {
            armNoLaterThan(untilNext);
        }
    }

    /** Hands due credentials to the engine; returns how long to sleep before the next look. */
    private Duration dispatchDue() {
        Instant now = clock.instant();
        int room = engine.schedulingRoom();
        List<Long> dueNow = due.takeDue(now, room);
        for (long upstreamId : dueNow) {
            CatalogEntry entry = catalog.refreshable(upstreamId).orElse(null);
            if (entry == null) {
                continue; // no longer refreshed; a resync brings it back if it returns
            }
            if (engine.backingOffLocally(upstreamId, now)) {
                due.schedule(upstreamId, now.plus(properties.schedulerPeriod()));
                continue;
            }
            engine.scheduled(entry, () -> !due.scheduledAfter(upstreamId, clock.instant()))
                    .whenComplete((outcome, error) -> afterAttempt(upstreamId, outcome));
        }
        if (dueNow.size() == room) {
            return MINIMUM_SPACING; // the engine's queue is full: look again soon, the rest stays due in the index
        }
        Duration untilDue = due.nextDue().map(at -> Duration.between(now, at)).orElse(properties.schedulerPeriod());
        return untilDue.compareTo(properties.schedulerPeriod()) < 0 ? untilDue : properties.schedulerPeriod();
    }

    /**
     * Re-indexes a credential from what its attempt saw, unless a status was indexed since it was taken (the attempt's
     * own write, announced, or a newer one); without a status (lock held) it is tried again.
     */
    private void afterAttempt(long upstreamId, RefreshOutcome outcome) {
        try {
            if (outcome != null && outcome.status() != null) {
                due.updateIfAbsent(upstreamId, outcome.status());
            } else {
                // the lock is held (elsewhere, or here by an older attempt): the holder's status-changed message
                // reschedules the credential; if it does not come (that instance died), try again next period
                due.scheduleIfAbsent(upstreamId, clock.instant().plus(properties.schedulerPeriod()));
            }
        } catch (RuntimeException e) {
            log.warn("could not re-index upstream credential {}: {}", upstreamId, e.toString());
        }
    }

    /** A resync that failed (Redis slow or away) is tried again next period; what the index holds is dispatched meanwhile. */
    private void resyncOrRetryLater() {
        Instant now = Instant.now();
        if (now.isBefore(nextResyncAttempt)) {
            return;
        }
        try {
            resync();
        } catch (RuntimeException e) {
            nextResyncAttempt = now.plus(properties.schedulerPeriod());
            log.warn("refresh statuses not resynced: {}", e.getClass().getSimpleName());
        }
    }

    /** Indexes every credential from the shared statuses (MGET batches) and tells near caches the current sequences. */
    private void resync() {
        long version = catalog.version();
        List<CatalogEntry> units = List.copyOf(catalog.refreshUnits());
        Map<Long, RefreshStatus> statuses = store.statuses(units.stream().map(CatalogEntry::upstreamId).toList());
        Set<Long> refreshed = new HashSet<>();
        Set<Long> inFlight = engine.refreshingHere();
        for (CatalogEntry entry : units) {
            RefreshStatus status = statuses.getOrDefault(entry.upstreamId(), RefreshStatus.none());
            if (status.hasToken()) {
                bus.hintLatest(entry.upstreamId(), status.sequence());
            }
            refreshed.add(entry.upstreamId());
            if (!inFlight.contains(entry.upstreamId())) {
                due.update(entry.upstreamId(), status);
            }
        }
        due.retainOnly(refreshed);
        bus.servedOnly(refreshed);
        syncedCatalogVersion = version;
        nextPeriodicResync = Instant.now().plus(properties.statusResyncPeriod());
    }

    /** Until the catalog is first loaded, asks for a load on every tick (requests coalesce while one is under way). */
    private void reloadCatalogWhenDue() {
        Instant wallNow = Instant.now();
        if (!catalog.isLoaded()) {
            catalog.reloadInBackground();
            return;
        }
        if (!wallNow.isBefore(nextCatalogLoad)) {
            nextCatalogLoad = wallNow.plus(properties.catalogReloadPeriod());
            catalog.reloadInBackgroundIfChanged();
        }
    }

    /** A credential fell due earlier than the next planned tick: tick then. */
    private void wakeBy(Instant dueAt) {
        Duration delay = Duration.between(clock.instant(), dueAt);
        synchronized (arming) {
            if (running && dueAt.isBefore(nextTickAt)) {
                arm(delay);
            }
        }
    }

    /** After a tick: the next one in {@code delay}, unless a wake-up during the tick already planned an earlier one. */
    private void armNoLaterThan(Duration delay) {
        synchronized (arming) {
            boolean earlierPlanned = nextTick != null && nextTickAt.isBefore(clock.instant().plus(delay));
            if (!earlierPlanned) {
                arm(delay);
            }
        }
    }

    private void arm(Duration delay) {
        Duration spaced = delay.compareTo(MINIMUM_SPACING) < 0 ? MINIMUM_SPACING : delay;
        synchronized (arming) {
            if (!running) {
                return;
            }
            if (nextTick != null) {
                nextTick.cancel(false);
            }
            nextTickAt = clock.instant().plus(spaced);
            nextTick = ticker.schedule(this::tick, spaced.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        synchronized (arming) {
            running = false;
            if (nextTick != null) {
                nextTick.cancel(false);
            }
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
