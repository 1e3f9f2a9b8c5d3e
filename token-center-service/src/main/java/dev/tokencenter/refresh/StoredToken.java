package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * A token as stored in Redis and published to other instances: the value sealed with {@code EnvelopeCipher}
 * (binding {@code token:<environment_id>}, envelope bytes in base64), plus what may be known in clear.
 */
record StoredToken(long environmentId, long sequence, String appid, String envelope, Instant expiresAt, Instant obtainedAt) {

    @Override
    public String toString() {
        return "StoredToken[environment=" + environmentId + ", sequence=" + sequence + ", expiresAt=" + expiresAt + "]";
    }
}
