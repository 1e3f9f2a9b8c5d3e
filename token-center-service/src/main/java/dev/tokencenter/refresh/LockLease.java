package dev.tokencenter.refresh;

import org.redisson.api.RLock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A credential's lock as held by one attempt, with an explicit lease and no watchdog. The lease is counted from the
 * moment the lock was asked for (Redis granted it later), so what is left is never overestimated.
 */
final class LockLease {

    private final RLock lock;
    private final Duration lease;
    private long endsAt;
    /** Times this attempt entered the lock (the lock is reentrant): as many unlocks release it. */
    private int holds = 1;

    private LockLease(RLock lock, Duration lease, long requestedAt) {
        this.lock = lock;
        this.lease = lease;
        this.endsAt = requestedAt + lease.toNanos();
    }

    /** Waits up to {@code wait} for the lock; null when another holder kept it that long. */
    static LockLease tryAcquire(RLock lock, Duration wait, Duration lease) throws InterruptedException {
        long requestedAt = System.nanoTime();
        return lock.tryLock(wait.toMillis(), lease.toMillis(), TimeUnit.MILLISECONDS)
                ? new LockLease(lock, lease, requestedAt) : null;
    }

    Duration left() {
        return Duration.ofNanos(endsAt - System.nanoTime());
    }

    /** Re-enters the lock, which renews its lease for a second upstream call. */
    boolean extend() {
        try {
            long requestedAt = System.nanoTime();
            if (lock.tryLock(0, lease.toMillis(), TimeUnit.MILLISECONDS)) {
                endsAt = requestedAt + lease.toNanos();
                holds++;
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Unlocks every hold this attempt took, one command each (no round trips to ask first); throws when the lease ran
     * out before (the lock is then no longer this attempt's, and stays with whoever holds it now).
     */
    void release() {
        while (holds > 0) {
            holds--;
            lock.unlock();
        }
    }
}
