package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Where refreshes are asked for: by the scheduler, by readers that find no usable token, by clients' reports, by
 * operators and by registry changes. Runs them on its own worker threads (Redis, JDBC and the bounded upstream wait
 * block them, never an event loop) fed by a bounded queue, coalesces scheduled and first-use requests of one
 * credential, and rate-limits reports and forced refreshes cluster-wide. Each refresh is one {@link RefreshAttempt}
 * under the credential's lock ({@link RefreshAttempts}).
 */
@Component
class RefreshEngine implements TokenRefresher, ApplicationListener<ContextClosedEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RefreshEngine.class);
    static final String ON_DEMAND_WINDOW = "on-demand-refresh";

    private final RefreshAttempts attempts;
    private final RefreshStateReader reader;
    private final RedisTokenStore store;
    private final ReportVerifier verifier;
    private final LocalBackoff backoff;
    private final RefreshProperties properties;
    private final Clock clock;
    private final ExecutorService workers;
    /** Bounded: when it is full, on-demand requests answer BUSY and the scheduler holds back (see schedulingRoom). */
    private final BlockingQueue<Runnable> queue;
    private final ConcurrentHashMap<Long, CompletableFuture<RefreshOutcome>> coalesced = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    RefreshEngine(RefreshAttempts attempts, RefreshStateReader reader, RedisTokenStore store, ReportVerifier verifier,
                  LocalBackoff backoff, RefreshProperties properties, Clock clock) {
        this.attempts = attempts;
        this.reader = reader;
        this.store = store;
        this.verifier = verifier;
        this.backoff = backoff;
        this.properties = properties;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.queue = new LinkedBlockingQueue<>(properties.queueCapacity());
        this.workers = new ThreadPoolExecutor(properties.workerThreads(), properties.workerThreads(), 0, TimeUnit.MILLISECONDS,
                queue, runnable -> {
            Thread thread = new Thread(runnable, "refresh-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A scheduler's request: coalesced with any queued scheduled or first-use refresh of the credential on this
     * instance. When a worker takes it up and {@code stillDue} says no (another instance's refresh was announced while
     * it waited in the queue), it ends NOT_NEEDED without a status, having touched neither Redis nor PostgreSQL. It
     * never joins an attempt already under way here: that one read the status before whatever made the credential due
     * again, so its outcome would answer an older question. It ends BUSY without a status instead, to be tried again.
     */
    CompletableFuture<RefreshOutcome> scheduled(CatalogEntry entry, BooleanSupplier stillDue) {
        if (attempts.isRefreshingHere(entry.upstreamId())) {
            return CompletableFuture.completedFuture(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
        }
        return coalesced(entry, RefreshTrigger.SCHEDULED, Duration.ZERO, stillDue);
    }

    /** A reader found no usable token: one coalesced fetch cluster-wide (the lock and the re-check coalesce instances). */
    @Override
    public CompletableFuture<RefreshOutcome> firstUse(CatalogEntry entry) {
        return coalesced(entry, RefreshTrigger.FIRST_USE, properties.readWait(), () -> true);
    }

    /**
     * A client reports that WeChat rejected {@code rejectedToken}. Nothing happens unless it is still the current token
     * and WeChat, asked with a cheap call that uses it, rejects it too (CONFIRMED_VALID or UNVERIFIED otherwise); then
     * it is refreshed at most once per {@code report-min-interval} per credential cluster-wide (RATE_LIMITED
     * otherwise). Stable mode tries a normal call first and force_refresh only if that returns the same token, within
     * the share of the daily force_refresh budget not reserved for operators.
     */
    @Override
    public CompletableFuture<RefreshOutcome> reportRejected(CatalogEntry entry, String rejectedToken) {
        CompletableFuture<RefreshOutcome> result = new CompletableFuture<>();
        if (stopping) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
            return result;
        }
        try {
            workers.execute(() -> {
                try {
                    long upstreamId = entry.upstreamId();
                    Optional<CurrentToken> held = reader.heldToken(upstreamId);
                    if (held.isEmpty() || !RefreshDecider.sameValue(held.get().accessToken(), rejectedToken)) {
                        result.complete(new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, null));
                        return;
                    }
                    TokenCheck check = verifier.verify(upstreamId, entry.mode().endpoint(), rejectedToken);
                    if (check != TokenCheck.REJECTED) {
                        log.info("{}: a reported token was not refreshed: WeChat's check said {}", entry.upstreamKey(), check);
                        result.complete(new RefreshOutcome(check == TokenCheck.VALID
                                ? RefreshOutcome.Result.CONFIRMED_VALID : RefreshOutcome.Result.UNVERIFIED, null));
                        return;
                    }
                    result.complete(onDemand(upstreamId, new RefreshRequest(RefreshTrigger.REPORTED,
                            properties.readWait(), clock.instant(), rejectedToken)));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
        }
        return result;
    }

    @Override
    public boolean reportCouldReplace(CatalogEntry entry, String token) {
        return !stopping && verifier.wouldCheck(entry.upstreamId(), token);
    }

    /** An operator forces a refresh: same guards as a report (rate limit, force_refresh limits), audited by the caller. */
    CompletableFuture<RefreshOutcome> force(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.FORCED, properties.readWait(), clock.instant(), null));
    }

    /** An operator resumes a stopped, paused or retrying credential: one call now. */
    CompletableFuture<RefreshOutcome> retry(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.RETRY, properties.readWait(), clock.instant(), null));
    }

    /** The credential changed in the registry: resume it if it was stopped or paused, refetch if its AppID changed. */
    CompletableFuture<RefreshOutcome> credentialChanged(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.SECRET_CHANGED, properties.lockLease(), clock.instant(), null));
    }

    /** Credentials whose lock this instance holds right now. */
    Set<Long> refreshingHere() {
        return attempts.refreshingHere();
    }

    /** Whether Redis is taken to be unreachable: shared statuses are followed in PostgreSQL meanwhile. */
    boolean withoutRedis() {
        return attempts.withoutRedis();
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * How many more scheduled refreshes the scheduler may queue now: the free queue slots, less one per worker kept
     * for on-demand requests (first use, reports, operators) and catalog reloads.
     */
    int schedulingRoom() {
        return Math.max(0, queue.remainingCapacity() - properties.workerThreads());
    }

    /** Submits blocking work (catalog reloads, persistence retries) to the refresh workers. */
    void execute(Runnable task) {
        if (!stopping) {
            try {
                workers.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("refresh workers are saturated or shutting down");
            }
        }
    }

    /** Submits blocking work to the refresh workers; false when they are saturated or the instance is stopping. */
    boolean tryExecute(Runnable task) {
        if (stopping) {
            return false;
        }
        try {
            workers.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Whether this instance recently failed to record a backoff for the credential in Redis and must still wait. */
    boolean backingOffLocally(long upstreamId, Instant now) {
        return backoff.holds(upstreamId, now);
    }

    /** Whether the scheduler should call upstream for this credential now (see {@link RefreshDecider#isDue}). */
    static boolean isDue(RefreshStatus status, CatalogEntry entry, Instant now) {
        return RefreshDecider.isDue(status, entry, now);
    }

    private CompletableFuture<RefreshOutcome> coalesced(CatalogEntry entry, RefreshTrigger trigger, Duration lockWait,
                                                        BooleanSupplier stillWanted) {
        CompletableFuture<RefreshOutcome> created = new CompletableFuture<>();
        CompletableFuture<RefreshOutcome> existing = coalesced.putIfAbsent(entry.upstreamId(), created);
        if (existing != null) {
            return existing;
        }
        created.whenComplete((outcome, error) -> coalesced.remove(entry.upstreamId(), created));
        start(entry, new RefreshRequest(trigger, lockWait, clock.instant(), null), created, stillWanted);
        return created;
    }

    private CompletableFuture<RefreshOutcome> submit(CatalogEntry entry, RefreshRequest request) {
        CompletableFuture<RefreshOutcome> result = new CompletableFuture<>();
        start(entry, request, result, () -> true);
        return result;
    }

    private void start(CatalogEntry entry, RefreshRequest request, CompletableFuture<RefreshOutcome> result,
                       BooleanSupplier stillWanted) {
        if (stopping) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    if (!stillWanted.getAsBoolean()) {
                        result.complete(new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, null));
                        return;
                    }
                    result.complete(isOnDemand(request.trigger()) ? onDemand(entry.upstreamId(), request)
                            : attempts.run(entry.upstreamId(), request));
                } catch (RuntimeException e) {
                    log.warn("refresh of {} ({}) failed: {}", entry.key(), request.trigger().label(), e.toString());
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
        }
    }

    /**
     * Reports and forced refreshes share one cluster-wide rate limit per credential; an attempt that made no upstream
     * call (busy, not needed) gives its slot back.
     */
    private RefreshOutcome onDemand(long upstreamId, RefreshRequest request) {
        if (!store.claimWindow(ON_DEMAND_WINDOW, upstreamId, properties.reportMinInterval())) {
            return new RefreshOutcome(RefreshOutcome.Result.RATE_LIMITED, null);
        }
        RefreshOutcome outcome = attempts.run(upstreamId, request);
        if (!outcome.result().calledUpstream()) {
            store.releaseWindow(ON_DEMAND_WINDOW, upstreamId);
        }
        return outcome;
    }

    /** Reports and forced refreshes share one cluster-wide rate limit per credential. */
    private static boolean isOnDemand(RefreshTrigger trigger) {
        return trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopping = true;
        attempts.stop();
    }

    /**
     * Queued attempts are dropped (they would call nobody now); attempts whose upstream call is in flight get the call's
     * bound to store what it brings, so that a token fetched just before shutdown is not lost.
     */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        attempts.stop();
        queue.clear();
        workers.shutdown();
        if (!workers.awaitTermination(attempts.inFlightBound().toMillis(), TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
            workers.awaitTermination(1, TimeUnit.SECONDS);
        }
    }
}
