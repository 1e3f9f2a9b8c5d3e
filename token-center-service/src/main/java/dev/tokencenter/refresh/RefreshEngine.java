package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
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

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final CredentialCatalog catalog;
    private final UpstreamCredentials secrets;
    private final WechatTokenClient client;
    private final SharedTokenStore store;
    private final TokenStateRepository database;
    private final QuotaAccounting quota;
    private final TokenChangeBus bus;
    private final TokenSealing sealing;
    private final RefreshTimings timings;
    private final RefreshProperties properties;
    private final Clock clock;
    private final String instanceId;
    private final ExecutorService workers;
    private final ConcurrentHashMap<Long, CompletableFuture<RefreshOutcome>> coalesced = new ConcurrentHashMap<>();
    private final Set<Long> refreshingHere = ConcurrentHashMap.newKeySet();
    private final Set<Long> unpersisted = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    RefreshEngine(RedissonClient redisson, RedisKeys keys, CredentialCatalog catalog, UpstreamCredentials secrets,
                  WechatTokenClient client, SharedTokenStore store, TokenStateRepository database, QuotaAccounting quota,
                  TokenChangeBus bus, TokenSealing sealing, RefreshTimings timings, RefreshProperties properties,
                  WechatApiProperties wechatApi, Clock clock, InstanceIdentity identity) {
        this.redisson = redisson;
        this.keys = keys;
        this.catalog = catalog;
        this.secrets = secrets;
        this.client = client;
        this.store = store;
        this.database = database;
        this.quota = quota;
        this.bus = bus;
        this.sealing = sealing;
        this.timings = timings;
        this.properties = properties;
        this.clock = clock;
        this.instanceId = identity.id();
        Duration oneCall = client.deadline().plusSeconds(1);
        if (properties.lockLease().compareTo(oneCall) < 0) {
            throw new IllegalStateException("token-center.refresh.lock-lease (" + properties.lockLease()
                    + ") must outlast a bounded upstream call plus a second for the writes (" + oneCall
                    + ", from token-center.wechat timeouts " + wechatApi.connectTimeout() + " + "
                    + wechatApi.responseTimeout() + ")");
        }
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(properties.workerThreads(), properties.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
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
     * A client reports that WeChat rejected {@code rejectedToken}: refreshed only while it is still the current token,
     * at most once per {@code report-min-interval} per credential cluster-wide (RATE_LIMITED otherwise). Stable mode
     * tries a normal call first and force_refresh only if that returns the same token.
     */
    public CompletableFuture<RefreshOutcome> reportRejected(CatalogEntry entry, String rejectedToken) {
        return submit(entry, new RefreshRequest(RefreshTrigger.REPORTED, properties.readWait(), clock.instant(), rejectedToken));
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

    /** Submits blocking work (catalog reloads, persistence retries) to the refresh workers. */
    void execute(Runnable task) {
        if (!stopping) {
            try {
                workers.execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("refresh workers are shutting down");
            }
        }
    }

    private CompletableFuture<RefreshOutcome> coalesced(CatalogEntry entry, RefreshTrigger trigger, Duration lockWait) {
        CompletableFuture<RefreshOutcome> created = new CompletableFuture<>();
        CompletableFuture<RefreshOutcome> existing = coalesced.putIfAbsent(entry.environmentId(), created);
        if (existing != null) {
            return existing;
        }
        created.whenComplete((outcome, error) -> coalesced.remove(entry.environmentId(), created));
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
                    if (isOnDemand(request.trigger()) && !store.claimWindow("on-demand-refresh", entry.environmentId(),
                            properties.reportMinInterval())) {
                        result.complete(new RefreshOutcome(RefreshOutcome.Result.RATE_LIMITED, null));
                        return;
                    }
                    result.complete(run(entry.environmentId(), request));
                } catch (RuntimeException e) {
                    log.warn("refresh of {} ({}) failed: {}", entry.key(), request.trigger().label(), e.toString());
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new RefreshOutcome(RefreshOutcome.Result.BUSY, null));
        }
    }

    /** Reports and forced refreshes share one cluster-wide rate limit per credential. */
    private static boolean isOnDemand(RefreshTrigger trigger) {
        return trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED;
    }

    private RefreshOutcome run(long environmentId, RefreshRequest request) {
        RLock lock = redisson.getLock(keys.lock(environmentId));
        boolean locked;
        try {
            locked = lock.tryLock(request.lockWait().toMillis(), properties.lockLease().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        if (!locked) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, store.status(environmentId).orElse(null));
        }
        refreshingHere.add(environmentId);
        boolean keepLock = false;
        try {
            return new Attempt(environmentId, request, lock).run();
        } catch (Abandoned e) {
            // the upstream call may still be answered: keep the lock until its lease ends, so that no other
            // instance fetches (and, in classic mode, gets superseded) before that answer could land
            keepLock = true;
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        } finally {
            refreshingHere.remove(environmentId);
            if (!keepLock) {
                try {
                    while (lock.isHeldByCurrentThread()) {
                        lock.unlock();
                    }
                } catch (RuntimeException e) {
                    log.warn("lock of environment {} expired before the refresh ended ({})", environmentId, e.getClass().getSimpleName());
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

        private final long environmentId;
        private final RefreshRequest request;
        private final RLock lock;
        private CatalogEntry entry;
        private RefreshStatus status;
        private Instant now;

        Attempt(long environmentId, RefreshRequest request, RLock lock) {
            this.environmentId = environmentId;
            this.request = request;
            this.lock = lock;
        }

        RefreshOutcome run() {
            entry = catalog.find(environmentId).orElse(null);
            if (entry == null || !entry.enabled()) {
                return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
            }
            now = clock.instant();
            status = sharedStatus(environmentId);
            Optional<RefreshOutcome> skip = reasonToSkip();
            if (skip.isPresent()) {
                return skip.get();
            }
            if (request.trigger().automatic() && !quota.allowsAutomaticCall(environmentId, entry.mode().endpoint())) {
                return refuseByQuotaGuard();
            }
            store.writeStatus(environmentId, status.withState(RefreshState.REFRESHING, now));
            return call(false);
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
                    boolean usable = tokenOfThisAppid && status.expiresAt().minus(properties.minimumLifetimeFor(entry.mode())).isAfter(now);
                    boolean backingOff = status.state() == RefreshState.RETRYING && status.nextRefreshAt() != null
                            && status.nextRefreshAt().isAfter(now);
                    boolean obtainable = !tokenOfThisAppid || timings.newTokenObtainable(entry.mode(), now, status.expiresAt());
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
            long sequence = store.nextSequence(environmentId, status.sequence());
            UpstreamCredentials.OpenCredential credential;
            try {
                credential = secrets.open(environmentId).orElse(null);
            } catch (SealedValueException e) {
                return failed(new UpstreamFailure(ErrcodePolicy.STOP, null,
                        "the stored secret cannot be opened (" + e.getMessage() + ")", null, false));
            }
            if (credential == null) {
                return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
            }
            if (stopping) {
                return new RefreshOutcome(RefreshOutcome.Result.BUSY, status);
            }
            quota.count(environmentId, entry.mode().endpoint(), forceRefresh);
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
            return store(new CurrentToken(environmentId, sequence, credential.appid(), answer.accessToken(), expiresAt, now));
        }

        private RefreshOutcome sameToken(Instant expiresAt, boolean wasForced) {
            RefreshTrigger trigger = request.trigger();
            if (entry.mode() == TokenMode.STABLE && !wasForced
                    && (trigger == RefreshTrigger.REPORTED || trigger == RefreshTrigger.FORCED)) {
                if (quota.allowsForceRefresh(environmentId)
                        && store.claimWindow("force-refresh", environmentId, properties.forceRefreshMinInterval())
                        && extendLease()) {
                    return call(true);
                }
                log.warn("{}: force_refresh refused by its limits ({} per day, one per {})", entry.key(),
                        properties.forceRefreshDailyLimit(), properties.forceRefreshMinInterval());
                RefreshStatus unchanged = resting(expiresAt);
                writeStatus(unchanged);
                return new RefreshOutcome(RefreshOutcome.Result.REFUSED, unchanged);
            }
            RefreshStatus unchanged = resting(expiresAt);
            writeStatus(unchanged);
            return new RefreshOutcome(RefreshOutcome.Result.UNCHANGED, unchanged);
        }

        /** Upstream returned the token already held: not a refresh; the next attempt waits until a new one can be had. */
        private RefreshStatus resting(Instant expiresAt) {
            Instant next = timings.afterSameToken(entry.mode(), now, expiresAt, 1);
            return new RefreshStatus(RefreshState.OK, status.sequence(), status.appid(), expiresAt, status.obtainedAt(),
                    next, status.lastTrigger(), null, null, status.refreshedBy(), 0, now);
        }

        private RefreshOutcome store(CurrentToken token) {
            StoredToken sealed = sealing.seal(token);
            if (!store.writeTokenIfNewer(sealed, now)) {
                log.info("{}: a newer token is stored already; this fetch (sequence {}) is dropped", entry.key(), token.sequence());
                return new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, store.status(environmentId).orElse(status));
            }
            bus.publish(sealed);
            try {
                database.writeTokenIfNewer(sealed, instanceId);
            } catch (DataIntegrityViolationException e) {
                log.info("{}: environment deleted during the refresh", entry.key());
            } catch (RuntimeException e) {
                unpersisted.add(environmentId);
                log.warn("{}: token stored in Redis but not yet in PostgreSQL ({})", entry.key(), e.getClass().getSimpleName());
            }
            RefreshStatus refreshed = new RefreshStatus(RefreshState.OK, token.sequence(), token.appid(), token.expiresAt(),
                    token.obtainedAt(), timings.nextRefresh(entry.mode(), token.obtainedAt(), token.expiresAt()),
                    request.trigger().label(), null, null, instanceId, 0, now);
            writeStatus(refreshed);
            log.debug("{}: refreshed ({}), sequence {}", entry.key(), request.trigger().label(), token.sequence());
            return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
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
            writeStatus(next);
            log.warn("{}: token call failed ({}, errcode {}), policy {}{}", entry.key(), request.trigger().label(),
                    failure.errcode(), failure.policy(), failure.ip() == null ? "" : ", caller IP seen by WeChat: " + failure.ip());
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
                return lock.tryLock(0, properties.lockLease().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private boolean heldTokenEquals(String candidate) {
            if (candidate == null || !status.hasToken()) {
                return false;
            }
            Optional<CurrentToken> held = heldToken(environmentId);
            return held.isPresent() && held.get().sequence() == status.sequence() && MessageDigest.isEqual(
                    held.get().accessToken().getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
        }

        private void writeStatus(RefreshStatus next) {
            store.writeStatus(environmentId, next);
            status = next;
            try {
                database.writeStatus(environmentId, next);
            } catch (DataIntegrityViolationException e) {
                log.info("{}: environment deleted during the refresh", entry.key());
            } catch (RuntimeException e) {
                unpersisted.add(environmentId);
                log.warn("{}: status kept in Redis, not yet in PostgreSQL ({})", entry.key(), e.getClass().getSimpleName());
            }
        }
    }

    /** The shared status; when Redis lost it, the PostgreSQL copy, written back to Redis. */
    RefreshStatus sharedStatus(long environmentId) {
        Optional<RefreshStatus> cached = store.status(environmentId);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<TokenStateRepository.Row> row = database.read(environmentId);
        if (row.isEmpty()) {
            return RefreshStatus.none();
        }
        row.get().token().ifPresent(token -> store.writeTokenIfNewer(token, clock.instant()));
        store.writeStatus(environmentId, row.get().status());
        return row.get().status();
    }

    Optional<CurrentToken> heldToken(long environmentId) {
        Optional<StoredToken> stored = store.readToken(environmentId);
        if (stored.isEmpty()) {
            stored = database.read(environmentId).flatMap(TokenStateRepository.Row::token);
        }
        return stored.map(sealing::open);
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

    /** Writes statuses and tokens that PostgreSQL missed (it was unreachable) once it answers again. */
    void persistMissed() {
        for (Long environmentId : Set.copyOf(unpersisted)) {
            try {
                Optional<RefreshStatus> status = store.status(environmentId);
                String refreshedBy = status.map(RefreshStatus::refreshedBy).orElse(instanceId);
                store.readToken(environmentId).ifPresent(token -> database.writeTokenIfNewer(token, refreshedBy));
                status.ifPresent(current -> database.writeStatus(environmentId, current));
                unpersisted.remove(environmentId);
            } catch (DataIntegrityViolationException e) {
                unpersisted.remove(environmentId); // the environment was deleted meanwhile
            } catch (RuntimeException e) {
                return;
            }
        }
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
