package dev.tokencenter.refresh;

import java.time.Duration;
import java.time.Instant;

/**
 * A decrypted token held in memory. {@code guaranteedUntil}: how long it is sure to work, less a margin (classic and
 * WeCom tokens die a grace period after the next fetch, well before their upstream expiry); null when unknown.
 * {@link #toString()} never shows the value.
 */
public record CurrentToken(long upstreamId, long sequence, String appid, String accessToken, Instant expiresAt,
                           Instant obtainedAt, Instant guaranteedUntil) {

    /** The moment until which the token is known to work: WeChat's expiry, or earlier when a newer fetch ends it. */
    public Instant worksUntil() {
        return guaranteedUntil == null || guaranteedUntil.isAfter(expiresAt) ? expiresAt : guaranteedUntil;
    }

    /** Whether it still has more than {@code minimumLifetime} left at {@code now}. */
    public boolean usableAt(Instant now, Duration minimumLifetime) {
        return expiresAt.minus(minimumLifetime).isAfter(now);
    }

    @Override
    public String toString() {
        return "CurrentToken[upstream=" + upstreamId + ", sequence=" + sequence + ", expiresAt=" + expiresAt + "]";
    }
}
