package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.wechat.TokenCheck;
import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamToken;
import dev.tokencenter.wechat.UpstreamTokenRequest;
import dev.tokencenter.wechat.WechatApiProperties;
import dev.tokencenter.wechat.WechatTokenClient;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

/**
 * Refreshes one credential at a time under its cluster-wide Redisson lock. The lock holder re-reads the shared
 * status after taking the lock (so a refresh another instance just finished is not repeated), takes a fencing
 * sequence, calls upstream (bounded), stores the new token only if no newer one is stored, publishes it, and applies
 * the errcode policy on failure. Runs on its own worker threads: Redis, JDBC and the bounded upstream wait block them,
 * never an event loop.
 */
@Component
public class RefreshEngine implements ApplicationListener<ContextClosedEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RefreshEngine.class);
    private static final String ON_DEMAND_WINDOW = "on-demand-refresh";

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final CredentialCatalog catalog;
    private final UpstreamCredentials secrets;
    private final WechatTokenClient client;
    private final SharedTokenStore store;
    private final TokenStateRepository database;
    private final TokenStatePersistence persistence;
    private final QuotaAccounting quota;
    private final ReportVerifier verifier;
    private final TokenChangeBus bus;
    private final TokenSealing sealing;
    private final RefreshTimings timings;
    private final RefreshProperties properties;
    private final Clock clock;
    private final String instanceId;
    private final ExecutorService workers;
    /** Bounded: when it is full, on-demand requests answer BUSY and the scheduler holds back (see schedulingRoom). */
    private final BlockingQueue<Runnable> queue;
    private final Duration upstreamBound;
    private final Duration redisBound;
    private final ConcurrentHashMap<Long, CompletableFuture<RefreshOutcome>> coalesced = new ConcurrentHashMap<>();
    private final Set<Long> refreshingHere = ConcurrentHashMap.newKeySet();
    /** Credentials whose last attempt could not record its backoff in Redis: not retried here before this. */
    private final ConcurrentHashMap<Long, Instant> localBackoff = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Redis commands an attempt makes under the lock before its upstream call (status, fence, quota, REFRESHING). */
    static final int REDIS_COMMANDS_BEFORE_CALL = 5;
    /** ... and after it (token and status in one script, publish). */
    static final int REDIS_COMMANDS_AFTER_CALL = 2;

    RefreshEngine(RedissonClient redisson, RedisKeys keys, CredentialCatalog catalog, UpstreamCredentials secrets,
                  WechatTokenClient client, SharedTokenStore store, TokenStateRepository database,
                  TokenStatePersistence persistence, QuotaAccounting quota, ReportVerifier verifier, TokenChangeBus bus,
                  TokenSealing sealing,
                  RefreshTimings timings, RefreshProperties properties, WechatApiProperties wechatApi,
                  RedisProperties redis, Clock clock, InstanceIdentity identity) {
        this.redisson = redisson;
        this.keys = keys;
        this.catalog = catalog;
        this.secrets = secrets;
        this.client = client;
        this.store = store;
        this.database = database;
        this.persistence = persistence;
        this.quota = quota;
        this.verifier = verifier;
        this.bus = bus;
        this.sealing = sealing;
        this.timings = timings;
        this.properties = properties;
        this.clock = clock;
        this.instanceId = identity.id();
        this.upstreamBound = client.deadline();
        this.redisBound = redis.commandBound();
        Duration underLock = redisBound.multipliedBy(REDIS_COMMANDS_BEFORE_CALL + REDIS_COMMANDS_AFTER_CALL).plus(upstreamBound);
        if (properties.lockLease().compareTo(underLock) < 0) {
            throw new IllegalStateException("token-center.refresh.lock-lease (" + properties.lockLease()
                    + ") must outlast all I/O under the lock (" + underLock + "): "
                    + (REDIS_COMMANDS_BEFORE_CALL + REDIS_COMMANDS_AFTER_CALL) + " Redis commands of up to "
                    + redisBound + " each (token-center.redis timeout, retry-attempts, retry-interval) and one upstream"
                    + " call of up to " + upstreamBound + " (token-center.wechat timeouts " + wechatApi.connectTimeout()
                    + " + " + wechatApi.responseTimeout() + ")");
        }
        AtomicInteger threads = new AtomicInteger();
        this.queue = new LinkedBlockingQueue<>(properties.queueCapacity());
        this.workers = new ThreadPoolExecutor(properties.workerThreads(), properties.workerThreads(), 0, TimeUnit.MILLISECONDS,
                queue, runnable -> {
            Thread thread = new Thread(runnable, "refresh-worker-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A scheduler's request: coalesced with any scheduled or first-use refresh of the credential on this instance. */
    CompletableFuture<RefreshOutcome> scheduled(CatalogEntry entry) {
        return coalesced(entry, RefreshTrigger.SCHEDULED, Duration.ZERO);
    }

    /** A reader found no usable token: one coalesced fetch cluster-wide (the lock and the re-check coalesce instances). */
    public CompletableFuture<RefreshOutcome> firstUse(CatalogEntry entry) {
        return coalesced(entry, RefreshTrigger.FIRST_USE, properties.readWait());
    }

    /**
     * A client reports that WeChat rejected {@code rejectedToken}. Nothing happens unless it is still the current token
     * and WeChat, asked with a cheap call that uses it, rejects it too (CONFIRMED_VALID or UNVERIFIED otherwise); then
     * it is refreshed at most once per {@code report-min-interval} per credential cluster-wide (RATE_LIMITED
     * otherwise). Stable mode tries a normal call first and force_refresh only if that returns the same token, within
     * the share of the daily force_refresh budget not reserved for operators.
     */
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
                    Optional<CurrentToken> held = heldToken(upstreamId);
                    if (held.isEmpty() || !sameValue(held.get().accessToken(), rejectedToken)) {
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

    /** An operator forces a refresh: same guards as a report (rate limit, force_refresh limits), audited by the caller. */
    public CompletableFuture<RefreshOutcome> force(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.FORCED, properties.readWait(), clock.instant(), null));
    }

    /** An operator resumes a stopped, paused or retrying credential: one call now. */
    public CompletableFuture<RefreshOutcome> retry(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.RETRY, properties.readWait(), clock.instant(), null));
    }

    /** The credential changed in the registry: resume it if it was stopped or paused, refetch if its AppID changed. */
    CompletableFuture<RefreshOutcome> credentialChanged(CatalogEntry entry) {
        return submit(entry, new RefreshRequest(RefreshTrigger.SECRET_CHANGED, properties.lockLease(), clock.instant(), null));
    }

    /** Credentials whose lock this instance holds right now. */
    public Set<Long> refreshingHere() {
        return Set.copyOf(refreshingHere);
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

    private CompletableFuture<RefreshOutcome> coalesced(CatalogEntry entry, RefreshTrigger trigger, Duration lockWait) {
        CompletableFuture<RefreshOutcome> created = new CompletableFuture<>();
        CompletableFuture<RefreshOutcome> existing = coalesced.putIfAbsent(entry.upstreamId(), created);
        if (existing != null) {
            return existing;
        }
        created.whenComplete((outcome, error) -> coalesced.remove(entry.upstreamId(), created));
        start(entry, new RefreshRequest(trigger, lockWait, clock.instant(), null), created);
        return created;
    }

    private CompletableFuture<RefreshOutcome> submit(CatalogEntry entry, RefreshRequest request) {
        CompletableFuture<RefreshOutcome> result = new CompletableFuture<>();
        start(entry, request, result);
        return result;
    }

    private void start(CatalogEntry entry, RefreshRequest request, CompletableFuture<RefreshOutcome> result) {
        if (stopping) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    result.complete(isOnDemand(request.trigger()) ? onDemand(entry.upstreamId(), request)
                            : run(entry.upstreamId(), request));
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
        RefreshOutcome outcome = run(upstreamId, request);
        if (!outcome.result().calledUpstream()) {
            store.releaseWindow(ON_DEMAND_WINDOW, upstreamId);
        }
        return outcome;
    }

    private static boolean sameValue(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Reports and forced refreshes share one cluster-wide rate limit per credential. */
    private static boolean isOnDemand(RefreshTrigger trigger) {
        return trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED;
    }

    private RefreshOutcome run(long upstreamId, RefreshRequest request) {
        RLock lock = redisson.getLock(keys.lock(upstreamId));
        long lockRequestedAt = System.nanoTime();
        boolean locked;
        try {
            locked = lock.tryLock(request.lockWait().toMillis(), properties.lockLease().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        if (!locked) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        refreshingHere.add(upstreamId);
        boolean keepLock = false;
        Attempt attempt = new Attempt(upstreamId, request, lock);
        try {
            // the lease runs from when Redis granted the lock, which is after the request was sent
            attempt.leaseEndsAt = lockRequestedAt + properties.lockLease().toNanos();
            return attempt.run();
        } catch (Abandoned e) {
            // the upstream call may still be answered: keep the lock until its lease ends, so that no other
            // instance fetches (and, in classic mode, gets superseded) before that answer could land
            keepLock = true;
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        } catch (RuntimeException e) {
            return attempt.crashed(e);
        } finally {
            refreshingHere.remove(upstreamId);
            if (!keepLock) {
                try {
                    while (lock.isHeldByCurrentThread()) {
                        lock.unlock();
                    }
                } catch (RuntimeException e) {
                    log.warn("lock of upstream credential {} expired before the refresh ended ({})", upstreamId,
                            e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Signals that this instance is shutting down in the middle of an upstream call. */
    private static final class Abandoned extends RuntimeException {
        Abandoned() {
            super(null, null, false, false);
        }
    }

    /** One refresh under the lock. */
    private final class Attempt {

        private final long upstreamId;
        private final RefreshRequest request;
        private final RLock lock;
        private long leaseEndsAt;
        private CatalogEntry entry;
        private RefreshStatus status;
        private long fence;
        private Instant now;

        Attempt(long upstreamId, RefreshRequest request, RLock lock) {
            this.upstreamId = upstreamId;
            this.request = request;
            this.lock = lock;
        }

        RefreshOutcome run() {
            entry = catalog.refreshable(upstreamId).orElse(null);
            if (entry == null) {
                return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
            }
            now = clock.instant();
            SharedState shared = sharedState(upstreamId);
            status = shared.status();
            Optional<RefreshOutcome> skip = reasonToSkip();
            if (skip.isPresent()) {
                return skip.get();
            }
            fence = store.nextFence(upstreamId, Math.max(status.sequence(), shared.fenceFloor()));
            if (request.trigger().automatic() && !quota.allowsAutomaticCall(upstreamId, entry.mode().endpoint())) {
                return refuseByQuotaGuard();
            }
            if (!save(null, status.withState(RefreshState.REFRESHING, now))) {
                return superseded();
            }
            return call(false);
        }

        /** Any failure outside the policy table: a retry with backoff and a recorded error, never a tight loop. */
        RefreshOutcome crashed(RuntimeException e) {
            log.warn("refresh of upstream credential {} ({}) failed: {}", upstreamId, request.trigger().label(), e.toString());
            String detail = e instanceof SealedValueException sealed ? sealed.getMessage() : e.getClass().getSimpleName();
            if (status == null) {
                status = RefreshStatus.none();
            }
            try {
                return failed(new UpstreamFailure(ErrcodePolicy.RETRY, null, "refresh failed inside the token center: "
                        + detail, null, false));
            } catch (RuntimeException unrecorded) {
                localBackoff.put(upstreamId, timings.retryAt(clock.instant(), status.attempt() + 1, false));
                return new RefreshOutcome(RefreshOutcome.Result.FAILED, null);
            }
        }

        private Optional<RefreshOutcome> reasonToSkip() {
            RefreshOutcome notNeeded = new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, status);
            boolean blocked = isBlocked(status, now);
            boolean tokenOfThisAppid = status.hasToken() && entry.appid().equals(status.appid());
            switch (request.trigger()) {
                case SCHEDULED -> {
                    return isDue(status, entry, now) ? Optional.empty() : Optional.of(notNeeded);
                }
                case FIRST_USE -> {
                    boolean held = tokenOfThisAppid && heldToken(upstreamId).isPresent();
                    boolean usable = held
                            && status.expiresAt().minus(properties.minimumLifetimeFor(entry.mode())).isAfter(now);
                    boolean backingOff = status.state() == RefreshState.RETRYING && status.nextRefreshAt() != null
                            && status.nextRefreshAt().isAfter(now);
                    boolean obtainable = !held || timings.newTokenObtainable(entry.mode(), now, status.expiresAt());
                    return blocked || usable || backingOff || !obtainable ? Optional.of(notNeeded) : Optional.empty();
                }
                case REPORTED -> {
                    if (blocked) {
                        return Optional.of(new RefreshOutcome(RefreshOutcome.Result.REFUSED, status));
                    }
                    return tokenOfThisAppid && heldTokenEquals(request.rejectedToken()) ? Optional.empty() : Optional.of(notNeeded);
                }
                case FORCED -> {
                    if (blocked) {
                        return Optional.of(new RefreshOutcome(RefreshOutcome.Result.REFUSED, status));
                    }
                    boolean refreshedSinceAsked = status.obtainedAt() != null && status.obtainedAt().isAfter(request.requestedAt());
                    return refreshedSinceAsked ? Optional.of(notNeeded) : Optional.empty();
                }
                case RETRY -> {
                    boolean resumable = status.state() == RefreshState.STOPPED || status.state() == RefreshState.PAUSED
                            || status.state() == RefreshState.RETRYING;
                    return resumable ? Optional.empty() : Optional.of(notNeeded);
                }
                case SECRET_CHANGED -> {
                    boolean needsCall = status.state() == RefreshState.STOPPED || status.state() == RefreshState.PAUSED
                            || status.state() == RefreshState.RETRYING || !tokenOfThisAppid;
                    return needsCall ? Optional.empty() : Optional.of(notNeeded);
                }
                default -> throw new IllegalStateException("unknown trigger " + request.trigger());
            }
        }

        private RefreshOutcome call(boolean forceRefresh) {
            UpstreamCredentials.OpenCredential credential = secrets.open(entry.environmentId()).orElse(null);
            if (credential == null) {
                return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
            }
            if (stopping) {
                return new RefreshOutcome(RefreshOutcome.Result.BUSY, status);
            }
            Duration leaseLeft = Duration.ofNanos(leaseEndsAt - System.nanoTime());
            Duration needed = upstreamBound.plus(redisBound.multipliedBy(REDIS_COMMANDS_AFTER_CALL));
            if (leaseLeft.compareTo(needed) < 0) {
                // I/O under the lock was slow: a call now could outlive the lease, and a fetch by the next holder
                return failed(new UpstreamFailure(ErrcodePolicy.RETRY, null, "not called: only " + leaseLeft.toMillis()
                        + " ms of the lock lease were left, " + needed.toMillis() + " ms needed", null, false));
            }
            quota.count(upstreamId, entry.mode().endpoint(), forceRefresh);
            UpstreamToken answer;
            try {
                answer = client.fetch(new UpstreamTokenRequest(entry.mode().endpoint(), credential.appid(),
                        credential.secret(), forceRefresh)).block();
            } catch (UpstreamCallException e) {
                if (stopping) {
                    throw new Abandoned();
                }
                return failed(UpstreamFailure.classify(e));
            } catch (RuntimeException e) {
                if (stopping) {
                    throw new Abandoned();
                }
                return failed(new UpstreamFailure(ErrcodePolicy.RETRY, null, "call failed: " + e.getClass().getSimpleName(), null, false));
            }
            if (stopping) {
                throw new Abandoned();
            }
            now = clock.instant();
            Instant expiresAt = now.plus(answer.expiresIn());
            if (heldTokenEquals(answer.accessToken()) && credential.appid().equals(status.appid())) {
                return sameToken(expiresAt, forceRefresh);
            }
            Instant nextRefresh = timings.nextRefresh(entry.mode(), now, expiresAt);
            return store(new CurrentToken(upstreamId, fence, credential.appid(), answer.accessToken(), expiresAt, now,
                    timings.guaranteedUntil(entry.mode(), now, expiresAt, nextRefresh)), nextRefresh);
        }

        private RefreshOutcome sameToken(Instant expiresAt, boolean wasForced) {
            RefreshTrigger trigger = request.trigger();
            if (entry.mode() == TokenMode.STABLE && !wasForced
                    && (trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED)) {
                int reserved = trigger == RefreshTrigger.FORCED ? 0 : properties.forceRefreshOperatorReserve();
                if (quota.allowsForceRefresh(upstreamId, reserved)
                        && store.claimWindow("force-refresh", upstreamId, properties.forceRefreshMinInterval())
                        && extendLease()) {
                    return call(true);
                }
                log.warn("{}: force_refresh refused by its limits ({} per day, {} of them kept for operators, one per {})",
                        entry.upstreamKey(), properties.forceRefreshDailyLimit(), reserved, properties.forceRefreshMinInterval());
                RefreshStatus unchanged = resting(expiresAt);
                save(null, unchanged);
                return new RefreshOutcome(RefreshOutcome.Result.REFUSED, unchanged);
            }
            RefreshStatus unchanged = resting(expiresAt);
            save(null, unchanged);
            return new RefreshOutcome(RefreshOutcome.Result.UNCHANGED, unchanged);
        }

        /** Upstream returned the token already held: not a refresh; the next attempt waits until a new one can be had. */
        private RefreshStatus resting(Instant expiresAt) {
            Instant next = timings.afterSameToken(entry.mode(), now, expiresAt, 1);
            return new RefreshStatus(RefreshState.OK, status.sequence(), status.appid(), expiresAt, status.obtainedAt(),
                    next, status.lastTrigger(), null, null, status.refreshedBy(), 0, now);
        }

        /** The new token is stored (with its status, in one step) before anything else that could fail. */
        private RefreshOutcome store(CurrentToken token, Instant nextRefresh) {
            StoredToken sealed = sealing.seal(token);
            RefreshStatus refreshed = new RefreshStatus(RefreshState.OK, token.sequence(), token.appid(), token.expiresAt(),
                    token.obtainedAt(), nextRefresh,
                    request.trigger().label(), null, null, instanceId, 0, now);
            boolean saved;
            try {
                saved = saveNewToken(sealed, refreshed);
            } catch (RuntimeException redisFailed) {
                // Redis failed after WeChat issued the token: keep it here and in PostgreSQL rather than lose it
                log.warn("{}: new token not stored in Redis ({}): kept locally and in PostgreSQL", entry.upstreamKey(),
                        redisFailed.getClass().getSimpleName());
                bus.deliverLocally(sealed);
                persistence.write(upstreamId, fence, sealed, refreshed);
                localBackoff.put(upstreamId, refreshed.nextRefreshAt());
                return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
            }
            if (!saved) {
                log.info("{}: a newer refresh took over; this fetch (fence {}) is dropped", entry.upstreamKey(), fence);
                return superseded();
            }
            status = refreshed;
            localBackoff.remove(upstreamId);
            persistence.write(upstreamId, fence, sealed, refreshed);
            try {
                bus.publish(sealed);
            } catch (RuntimeException e) {
                log.warn("{}: token stored but not announced ({}); instances pick it up from the shared status",
                        entry.upstreamKey(), e.getClass().getSimpleName());
            }
            log.debug("{}: refreshed ({}), sequence {}", entry.upstreamKey(), request.trigger().label(), token.sequence());
            return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
        }

        /** A lost answer does not mean the script did not run: look before writing once more. */
        private boolean saveNewToken(StoredToken sealed, RefreshStatus refreshed) {
            try {
                return store.save(upstreamId, fence, sealed, refreshed, now);
            } catch (RuntimeException unanswered) {
                Optional<StoredToken> stored = store.readToken(upstreamId);
                if (stored.isPresent() && stored.get().sequence() == fence) {
                    return true;
                }
                return store.save(upstreamId, fence, sealed, refreshed, now);
            }
        }

        private RefreshOutcome superseded() {
            return new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, store.status(upstreamId).orElse(status));
        }

        private RefreshOutcome failed(UpstreamFailure failure) {
            now = clock.instant();
            LastError error = new LastError(failure.errcode(), failure.message(), failure.policy(), failure.ip(), now);
            RefreshStatus next = switch (failure.policy()) {
                case RETRY -> {
                    int attempt = status.attempt() + 1;
                    yield new RefreshStatus(RefreshState.RETRYING, status.sequence(), status.appid(), status.expiresAt(),
                            status.obtainedAt(), timings.retryAt(now, attempt, failure.nextMinute()),
                            request.trigger().label(), error, null, status.refreshedBy(), attempt, now);
                }
                case PAUSE, QUOTA_GUARD -> {
                    Instant until = quota.nextQuotaDay();
                    yield new RefreshStatus(RefreshState.PAUSED, status.sequence(), status.appid(), status.expiresAt(),
                            status.obtainedAt(), until, request.trigger().label(), error, until, status.refreshedBy(), 0, now);
                }
                case STOP -> new RefreshStatus(RefreshState.STOPPED, status.sequence(), status.appid(), status.expiresAt(),
                        status.obtainedAt(), null, request.trigger().label(), error, null, status.refreshedBy(), 0, now);
            };
            if (fence == 0) {
                fence = store.nextFence(upstreamId, status.sequence());
            }
            save(null, next);
            log.warn("{}: token call failed ({}, errcode {}), policy {}{}", entry == null ? upstreamId : entry.upstreamKey(),
                    request.trigger().label(), failure.errcode(), failure.policy(),
                    failure.ip() == null ? "" : ", caller IP seen by WeChat: " + failure.ip());
            return new RefreshOutcome(RefreshOutcome.Result.FAILED, next);
        }

        private RefreshOutcome refuseByQuotaGuard() {
            long limit = quota.dailyLimit(entry.mode().endpoint());
            UpstreamFailure guard = new UpstreamFailure(ErrcodePolicy.QUOTA_GUARD, null,
                    "automatic calls stopped at " + Math.round(properties.quotaGuardShare() * 100) + "% of the daily limit of "
                            + limit + " " + entry.mode().endpoint().path() + " calls", null, false);
            RefreshOutcome failed = failed(guard);
            return new RefreshOutcome(RefreshOutcome.Result.REFUSED, failed.status());
        }

        /** Re-enters the lock, which renews its lease for a second upstream call. */
        private boolean extendLease() {
            try {
                long requestedAt = System.nanoTime();
                if (lock.tryLock(0, properties.lockLease().toMillis(), TimeUnit.MILLISECONDS)) {
                    leaseEndsAt = requestedAt + properties.lockLease().toNanos();
                    return true;
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private boolean heldTokenEquals(String candidate) {
            if (candidate == null || !status.hasToken()) {
                return false;
            }
            Optional<CurrentToken> held = heldToken(upstreamId);
            return held.isPresent() && held.get().sequence() == status.sequence()
                    && sameValue(held.get().accessToken(), candidate);
        }

        /** Fenced: a holder whose place was taken writes nothing. PostgreSQL follows asynchronously. */
        private boolean save(StoredToken token, RefreshStatus next) {
            boolean saved = store.save(upstreamId, fence, token, next, now);
            if (saved) {
                status = next;
                persistence.write(upstreamId, fence, token, next);
            }
            return saved;
        }
    }

    /** The shared status and the highest fence PostgreSQL has seen (a floor when Redis lost its counter). */
    private record SharedState(RefreshStatus status, long fenceFloor) {
    }

    /** The shared status; when Redis lost it, the PostgreSQL copy (its token is put back into Redis). */
    private SharedState sharedState(long upstreamId) {
        Optional<RefreshStatus> cached = store.status(upstreamId);
        if (cached.isPresent()) {
            return new SharedState(cached.get(), 0);
        }
        Optional<TokenStateRepository.Row> row = database.read(upstreamId);
        if (row.isEmpty()) {
            return new SharedState(RefreshStatus.none(), 0);
        }
        row.get().token().ifPresent(token -> store.restoreToken(token, clock.instant()));
        return new SharedState(row.get().status(), row.get().fence());
    }

    /** The current token, decrypted; empty when there is none or it cannot be opened (then it counts as absent). */
    Optional<CurrentToken> heldToken(long upstreamId) {
        Optional<StoredToken> stored = store.readToken(upstreamId);
        if (stored.isEmpty()) {
            stored = database.read(upstreamId).flatMap(TokenStateRepository.Row::token);
        }
        try {
            return stored.map(sealing::open);
        } catch (SealedValueException | IllegalArgumentException e) {
            log.warn("stored token of upstream credential {} cannot be opened ({}): treated as absent", upstreamId,
                    e instanceof SealedValueException sealed ? sealed.getMessage() : "malformed envelope");
            return Optional.empty();
        }
    }

    /** Whether this instance recently failed to record a backoff for the credential in Redis and must still wait. */
    boolean backingOffLocally(long upstreamId, Instant now) {
        Instant until = localBackoff.get(upstreamId);
        if (until == null) {
            return false;
        }
        if (!until.isAfter(now)) {
            localBackoff.remove(upstreamId, until);
            return false;
        }
        return true;
    }

    static boolean isBlocked(RefreshStatus status, Instant now) {
        return status.state() == RefreshState.STOPPED
                || status.state() == RefreshState.PAUSED && status.pausedUntil() != null && status.pausedUntil().isAfter(now);
    }

    /** Whether the scheduler should call upstream for this credential now. */
    static boolean isDue(RefreshStatus status, CatalogEntry entry, Instant now) {
        if (status.state() == RefreshState.STOPPED) {
            return false;
        }
        if (status.state() == RefreshState.PAUSED) {
            return status.pausedUntil() == null || !status.pausedUntil().isAfter(now);
        }
        if (status.hasToken() && !entry.appid().equals(status.appid())) {
            return true;
        }
        return status.nextRefreshAt() == null || !status.nextRefreshAt().isAfter(now);
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopping = true;
    }

    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        workers.shutdownNow();
        workers.awaitTermination(2, TimeUnit.SECONDS);
    }
}
