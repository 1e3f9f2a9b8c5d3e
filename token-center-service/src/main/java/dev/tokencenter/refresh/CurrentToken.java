package dev.tokencenter.refresh;

import java.time.Duration;
import java.time.Instant;

/** A decrypted token held in memory. {@link #toString()} never shows the value. */
public record CurrentToken(long upstreamId, long sequence, String appid, String accessToken, Instant expiresAt,
                           Instant obtainedAt) {

    /** Whether it still has more than {@code minimumLifetime} left at {@code now}. */
    public boolean usableAt(Instant now, Duration minimumLifetime) {
        return expiresAt.minus(minimumLifetime).isAfter(now);
    }

    @Override
    public String toString() {
        return "CurrentToken[upstream=" + upstreamId + ", sequence=" + sequence + ", expiresAt=" + expiresAt + "]";
    }
}
