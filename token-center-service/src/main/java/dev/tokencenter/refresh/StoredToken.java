package dev.tokencenter.refresh;

import com.fasterxml.jackson.annotation.JsonAlias;

import java.time.Instant;

/**
 * A token as stored in Redis and published to other instances: the value sealed with {@code EnvelopeCipher}
 * (binding {@code token:<upstream_id>}, envelope bytes in base64), plus what may be known in clear.
 */
record StoredToken(@JsonAlias("environmentId") long upstreamId, long sequence, String appid, String envelope, Instant expiresAt, Instant obtainedAt,
                   Instant guaranteedUntil) {

    @Override
    public String toString() {
        return "StoredToken[upstream=" + upstreamId + ", sequence=" + sequence + ", expiresAt=" + expiresAt + "]";
    }
}
