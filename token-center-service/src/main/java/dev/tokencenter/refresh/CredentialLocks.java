package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisProperties;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The credentials' cluster-wide Redisson locks, each held by one attempt (an owner number of its own, not the worker
 * thread, so that no later attempt on the same thread re-enters a hold left behind). When Redis answers a lock request
 * too late (the request may have been granted, twice if the client sent it again) or an unlock does not get through,
 * the attempt's holds are given back in the background, one unlock at a time until Redis says none is left or the
 * lease has run out: the credential is not left locked for the rest of the lease.
 */
@Component
class CredentialLocks implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CredentialLocks.class);
    /** Pause between two tries to give a hold back while Redis does not answer. */
    private static final Duration GIVE_BACK_PAUSE = Duration.ofMillis(200);
    /** Added to every wait for an answer, past the client's own bound, before the request counts as unanswered. */
    private static final Duration SLACK = Duration.ofMillis(500);

    private final RedissonClient redisson;
    private final Duration commandBound;
    /** Far above any thread id, so an owner never matches a hold some thread took through the plain lock API. */
    private final AtomicLong owners = new AtomicLong(1L << 40);
    private final ScheduledExecutorService giveBacks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lock-give-back");
        thread.setDaemon(true);
        return thread;
    });

    @Autowired
    CredentialLocks(RedissonClient redisson, RedisProperties redis) {
        this(redisson, redis.commandBound());
    }

    /** {@code commandBound}: the longest one Redis command takes before the client gives up on it, retries included. */
    CredentialLocks(RedissonClient redisson, Duration commandBound) {
        this.redisson = redisson;
        this.commandBound = commandBound;
    }

    /**
     * Waits up to {@code wait} for the lock named {@code name}; null when another holder kept it that long. Throws when
     * Redis did not answer in time (a hold it may have granted is given back in the background).
     */
    LockLease tryAcquire(String name, Duration wait, Duration lease) throws InterruptedException {
        RLock lock = redisson.getLock(name);
        long owner = owners.incrementAndGet();
        long requestedAt = System.nanoTime();
        long leaseEnds = requestedAt + lease.toNanos();
        CompletableFuture<Boolean> granted = lock.tryLockAsync(wait.toMillis(), lease.toMillis(), TimeUnit.MILLISECONDS,
                owner).toCompletableFuture();
        try {
            boolean held = granted.get(wait.plus(commandBound).plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
            return held ? new LockLease(this, lock, owner, lease, requestedAt) : null;
        } catch (ExecutionException e) {
            giveBackLater(lock, owner, leaseEnds, commandBound);
            throw unwrapped(e);
        } catch (TimeoutException e) {
            granted.cancel(false);
            giveBackLater(lock, owner, leaseEnds, commandBound);
            throw new RedisTimeoutException("no answer to the lock request for " + name + " within " + wait.plus(commandBound));
        } catch (InterruptedException e) {
            giveBackLater(lock, owner, leaseEnds, commandBound);
            throw e;
        }
    }

    /** One lock command on behalf of a lease: its answer, or what went wrong (unwrapped), within the command bound. */
    <T> T answer(CompletableFuture<T> command) {
        try {
            return command.get(commandBound.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unwrapped(e);
        } catch (TimeoutException e) {
            command.cancel(false);
            throw new RedisTimeoutException("no answer to a lock command within " + commandBound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisTimeoutException("interrupted while waiting for a lock command");
        }
    }

    /**
     * Gives back every hold {@code owner} may still have on {@code lock}, starting {@code after} from now (a lock
     * request still on its way lands first), until Redis says none is left or the lease ending at {@code leaseEnds}
     * ({@link System#nanoTime()}) has run out.
     */
    void giveBackLater(RLock lock, long owner, long leaseEnds, Duration after) {
        schedule(() -> giveBack(lock, owner, leaseEnds), after);
    }

    private void giveBack(RLock lock, long owner, long leaseEnds) {
        if (System.nanoTime() - leaseEnds >= 0) {
            return; // Redis has dropped the lock by itself
        }
        lock.unlockAsync(owner).whenComplete((done, error) -> {
            if (error == null) {
                log.debug("gave back a hold on {} left by a lock command Redis answered late", lock.getName());
                schedule(() -> giveBack(lock, owner, leaseEnds), Duration.ZERO); // a repeated request holds it twice
            } else if (!notHeld(error)) {
                schedule(() -> giveBack(lock, owner, leaseEnds), GIVE_BACK_PAUSE);
            }
        });
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            giveBacks.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down: the lease ends the hold
        }
    }

    /** Whether Redis said the lock is not (or no longer) held by the owner: its lease ran out, or it was given back. */
    static boolean notHeld(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalMonitorStateException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static RuntimeException unwrapped(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("lock command failed", e.getCause());
    }

    @Override
    public void destroy() {
        giveBacks.shutdownNow();
    }
}
