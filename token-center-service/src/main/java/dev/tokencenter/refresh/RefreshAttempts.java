package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.wechat.TicketEndpoint;
import dev.tokencenter.wechat.WechatApiProperties;
import dev.tokencenter.wechat.WechatTokenClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs refresh attempts under the credential's cluster-wide Redisson lock, held by the attempt
 * ({@link CredentialLocks}) with an explicit lease and no watchdog, and under its advisory lock in PostgreSQL whenever
 * PostgreSQL answers. While Redis cannot be reached (its breaker is open), attempts run under the advisory lock alone
 * ({@link FallbackAttempt}). The lease must cover all I/O under the lock; start-up fails unless it does.
 */
@Component
class RefreshAttempts {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttempts.class);

    /** Redis commands an attempt makes under the lock before its upstream call (status, fence, quota, REFRESHING). */
    static final int REDIS_COMMANDS_BEFORE_CALL = 5;
    /** ... and after it (token and status in one script, publish). */
    static final int REDIS_COMMANDS_AFTER_CALL = 2;

    private final CredentialLocks locks;
    private final RedisKeys keys;
    private final RefreshProperties properties;
    private final RefreshAttempt.Tools tools;
    private final RefreshMeters meters;
    private final RedisBreaker breaker;
    private final AdvisoryLocks advisory;
    private final FallbackAttempt.Extras fallback;
    private final Set<Long> refreshingHere = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    RefreshAttempts(CredentialLocks locks, RedisKeys keys, CredentialCatalog catalog, RefreshStateReader reader,
                    FencedWrites writes, RedisTokenStore store, QuotaAccounting quota, CredentialOpener secrets,
                    WechatTokenClient client, TokenCipher sealing, RefreshTimings timings, LocalBackoff backoff,
                    RefreshProperties properties, WechatApiProperties wechatApi, RedisProperties redis, Clock clock,
                    InstanceIdentity identity, TicketSteps tickets, RefreshMeters meters, RedisBreaker breaker,
                    AdvisoryLocks advisory, TokenChangeBus bus, RefreshStatusTopic statusTopic, TokenStateWriter writer) {
        this.locks = locks;
        this.breaker = breaker;
        this.advisory = advisory;
        this.fallback = new FallbackAttempt.Extras(bus, statusTopic, writer);
        this.meters = meters;
        this.keys = keys;
        this.properties = properties;
        Duration upstreamBound = client.deadline();
        Duration redisBound = redis.commandBound();
        Duration underLock = redisBound.multipliedBy(REDIS_COMMANDS_BEFORE_CALL + REDIS_COMMANDS_AFTER_CALL).plus(upstreamBound);
        if (properties.lockLease().compareTo(underLock) < 0) {
            throw new IllegalStateException("token-center.refresh.lock-lease (" + properties.lockLease()
                    + ") must outlast all I/O under the lock (" + underLock + "): "
                    + (REDIS_COMMANDS_BEFORE_CALL + REDIS_COMMANDS_AFTER_CALL) + " Redis commands of up to "
                    + redisBound + " each (token-center.redis timeout, retry-attempts, retry-interval) and one upstream"
                    + " call of up to " + upstreamBound + " (token-center.wechat timeouts " + wechatApi.connectTimeout()
                    + " + " + wechatApi.responseTimeout() + ")");
        }
        Duration neededForCall = upstreamBound.plus(redisBound.multipliedBy(REDIS_COMMANDS_AFTER_CALL));
        this.tools = new RefreshAttempt.Tools(catalog, reader, writes, store, quota, secrets, client, sealing,
                new RefreshDecider(properties, timings, identity.id()), backoff, properties, clock, neededForCall, tickets,
                meters);
    }

    /**
     * One attempt: BUSY when the lock stays held elsewhere for {@code request.lockWait()}, or when the advisory lock is
     * held by an attempt coordinated without Redis.
     */
    RefreshOutcome run(long upstreamId, RefreshRequest request) {
        if (breaker.isOpen()) {
            return runWithoutRedis(upstreamId, request);
        }
        LockLease lease;
        try {
            lease = lock(upstreamId, request.lockWait());
        } catch (RuntimeException e) {
            if (breaker.failedAndOpen(e)) {
                return runWithoutRedis(upstreamId, request);
            }
            throw e;
        }
        if (lease == null) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        AdvisoryLocks.Asked asked = advisory.tryHold(upstreamId);
        if (asked instanceof AdvisoryLocks.Refused) {
            release(upstreamId, lease);
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        AdvisoryHold hold = asked instanceof AdvisoryLocks.Held held ? held.hold() : null;
        refreshingHere.add(upstreamId);
        boolean keepLock = false;
        RefreshAttempt attempt = new RefreshAttempt(tools, upstreamId, request, lease, hold, () -> stopping);
        long started = System.nanoTime();
        RefreshOutcome outcome = null;
        try {
            outcome = attempt.run();
            return outcome;
        } catch (AbandonedCall e) {
            keepLock = true;
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        } catch (RuntimeException e) {
            breaker.failed(e);
            outcome = attempt.crashed(e);
            return outcome;
        } finally {
            if (outcome != null) {
                meters.attempt(upstreamId, request.trigger(), outcome.result(), System.nanoTime() - started);
            }
            refreshingHere.remove(upstreamId);
            if (hold != null) {
                hold.close();
            }
            if (!keepLock) {
                release(upstreamId, lease);
            }
        }
    }

    /**
     * Redis cannot be reached: the attempt runs under the advisory lock alone, which every attempt coordinated by Redis
     * also takes while PostgreSQL answers. BUSY when another attempt holds it, or PostgreSQL does not answer either.
     */
    private RefreshOutcome runWithoutRedis(long upstreamId, RefreshRequest request) {
        if (!FallbackAttempt.coordinates(request.trigger())
                || !(advisory.tryHold(upstreamId) instanceof AdvisoryLocks.Held held)) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, null);
        }
        AdvisoryHold hold = held.hold();
        refreshingHere.add(upstreamId);
        FallbackAttempt attempt = new FallbackAttempt(tools, fallback, upstreamId, request, hold, () -> stopping);
        long started = System.nanoTime();
        RefreshOutcome outcome = null;
        try {
            outcome = attempt.run();
            return outcome;
        } catch (RuntimeException e) {
            outcome = attempt.crashed(e);
            return outcome;
        } finally {
            if (outcome != null) {
                meters.attempt(upstreamId, request.trigger(), outcome.result(), System.nanoTime() - started);
            }
            refreshingHere.remove(upstreamId);
            hold.close();
        }
    }

    private static void release(long upstreamId, LockLease lease) {
        try {
            lease.release();
        } catch (IllegalMonitorStateException e) {
            log.warn("lock of upstream credential {} expired before the refresh ended", upstreamId);
        }
    }

    /** A ticket-only attempt for one kind: BUSY when the lock stays held elsewhere for {@code lockWait}. */
    TicketOutcome runTickets(long upstreamId, TicketEndpoint kind, Duration lockWait) {
        LockLease lease = lock(upstreamId, lockWait);
        if (lease == null) {
            return TicketOutcome.of(TicketOutcome.Result.BUSY);
        }
        AdvisoryLocks.Asked asked = advisory.tryHold(upstreamId);
        if (asked instanceof AdvisoryLocks.Refused) {
            release(upstreamId, lease);
            return TicketOutcome.of(TicketOutcome.Result.BUSY);
        }
        AdvisoryHold hold = asked instanceof AdvisoryLocks.Held held ? held.hold() : null;
        refreshingHere.add(upstreamId);
        boolean keepLock = false;
        long started = System.nanoTime();
        TicketOutcome outcome = null;
        try {
            outcome = new TicketAttempt(tools, upstreamId, kind, lease, hold, () -> stopping).run();
            return outcome;
        } catch (AbandonedCall e) {
            keepLock = true;
            return TicketOutcome.of(TicketOutcome.Result.BUSY);
        } catch (RuntimeException e) {
            log.warn("ticket attempt of upstream credential {} ({}) failed: {}", upstreamId, kind.label(), e.toString());
            outcome = TicketOutcome.of(TicketOutcome.Result.FAILED);
            return outcome;
        } finally {
            if (outcome != null) {
                meters.attempt(upstreamId, RefreshMeters.TICKET, RefreshMeters.Result.of(outcome.result()),
                        System.nanoTime() - started);
            }
            refreshingHere.remove(upstreamId);
            if (hold != null) {
                hold.close();
            }
            if (!keepLock) {
                release(upstreamId, lease);
            }
        }
    }

    /** The credential's lock, waiting up to {@code wait} (the wait is measured); null when it stayed held elsewhere. */
    private LockLease lock(long upstreamId, Duration wait) {
        long asked = System.nanoTime();
        try {
            return locks.tryAcquire(keys.lock(upstreamId), wait, properties.lockLease());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            meters.lockWait(System.nanoTime() - asked);
        }
    }

    /** Whether Redis is taken to be unreachable (its breaker is open): attempts are coordinated in PostgreSQL. */
    boolean withoutRedis() {
        return breaker.isOpen();
    }

    /** Credentials whose lock this instance holds right now. */
    Set<Long> refreshingHere() {
        return Set.copyOf(refreshingHere);
    }

    /** Whether this instance holds the credential's lock right now. */
    boolean isRefreshingHere(long upstreamId) {
        return refreshingHere.contains(upstreamId);
    }

    /** How long an attempt whose upstream call is in flight may take to end: the call and the writes after it. */
    Duration inFlightBound() {
        return tools.neededForCall();
    }

    /** From now on, an attempt calls no more upstream, and one whose call fails or is cut off keeps its lock. */
    void stop() {
        stopping = true;
    }
}
