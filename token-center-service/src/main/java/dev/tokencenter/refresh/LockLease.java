package dev.tokencenter.refresh;

import org.redisson.api.RLock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A credential's lock as held by one attempt (its owner number, see {@link CredentialLocks}), with an explicit lease
 * and no watchdog. The lease is counted from the moment the lock was asked for (Redis granted it later), so what is
 * left is never overestimated.
 */
final class LockLease {

    private final CredentialLocks locks;
    private final RLock lock;
    private final long owner;
    private final Duration lease;
    private long endsAt;
    /** Times this attempt entered the lock (the lock is reentrant): as many unlocks release it. */
    private int holds = 1;
    /** A re-entry went unanswered: it may hold once more than counted. */
    private boolean uncertain;

    LockLease(CredentialLocks locks, RLock lock, long owner, Duration lease, long requestedAt) {
        this.locks = locks;
        this.lock = lock;
        this.owner = owner;
        this.lease = lease;
        this.endsAt = requestedAt + lease.toNanos();
    }

    Duration left() {
        return Duration.ofNanos(endsAt - System.nanoTime());
    }

    /** Re-enters the lock, which renews its lease for a second upstream call. */
    boolean extend() {
        long requestedAt = System.nanoTime();
        try {
            if (locks.answer(lock.tryLockAsync(0, lease.toMillis(), TimeUnit.MILLISECONDS, owner).toCompletableFuture())) {
                endsAt = requestedAt + lease.toNanos();
                holds++;
                return true;
            }
            return false;
        } catch (RuntimeException unanswered) {
            uncertain = true;
            return false;
        }
    }

    /**
     * Unlocks every hold this attempt took, one command each (no round trips to ask first). Throws
     * {@link IllegalMonitorStateException} when the lease ran out before (the lock is then no longer this attempt's,
     * and stays with whoever holds it now). When Redis does not answer, the holds are given back in the background.
     */
    void release() {
        try {
            while (holds > 0) {
                locks.answer(lock.unlockAsync(owner).toCompletableFuture());
                holds--;
            }
        } catch (RuntimeException e) {
            if (CredentialLocks.notHeld(e)) {
                throw e instanceof IllegalMonitorStateException notHeld ? notHeld
                        : new IllegalMonitorStateException("lease of " + lock.getName() + " ran out");
            }
            locks.giveBackLater(lock, owner, endsAt, Duration.ZERO);
            return;
        }
        if (uncertain) {
            locks.giveBackLater(lock, owner, endsAt, Duration.ZERO);
        }
    }
}
