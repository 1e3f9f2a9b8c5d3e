package dev.tokencenter.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client, in this instance's memory: at most {@code permits} calls per {@code period}, in bursts
 * of up to {@code permits}. In memory on purpose: it only keeps one noisy client from crowding out the others; the
 * quota that really matters (WeChat's) is protected cluster-wide by the refresh engine's per-credential limit in
 * Redis. So a limit per instance (with n instances a client gets at most n times the permits) costs no Redis round
 * trip and keeps working while Redis is down.
 */
public final class PerClientRateLimiter {

    private final int permits;
    private final long nanosPerPermit;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public PerClientRateLimiter(int permits, Duration period) {
        if (permits < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("permits and period must be positive");
        }
        this.permits = permits;
        this.nanosPerPermit = Math.max(1, period.toNanos() / permits);
    }

    /** Takes one permit; returns {@link Duration#ZERO} when granted, else how long until the next permit. */
    public Duration tryAcquire(String clientId) {
        return buckets.computeIfAbsent(clientId, id -> new Bucket(permits, System.nanoTime())).take(System.nanoTime());
    }

    /** Whether {@link #tryAcquire} would grant a permit now; takes none. */
    public boolean wouldGrant(String clientId) {
        Bucket bucket = buckets.get(clientId);
        return bucket == null || bucket.hasPermit(System.nanoTime());
    }

    /** Gives back a permit taken for a call that turned out to cost nothing. */
    public void refund(String clientId) {
        Bucket bucket = buckets.get(clientId);
        if (bucket != null) {
            bucket.giveBack();
        }
    }

    private final class Bucket {

        private double available;
        private long updatedAt;

        Bucket(double available, long now) {
            this.available = available;
            this.updatedAt = now;
        }

        synchronized void giveBack() {
            available = Math.min(permits, available + 1);
        }

        synchronized boolean hasPermit(long now) {
            return available + (double) (now - updatedAt) / nanosPerPermit >= 1;
        }

        synchronized Duration take(long now) {
            available = Math.min(permits, available + (double) (now - updatedAt) / nanosPerPermit);
            updatedAt = now;
            if (available >= 1) {
                available -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - available) * nanosPerPermit));
        }
    }
}
