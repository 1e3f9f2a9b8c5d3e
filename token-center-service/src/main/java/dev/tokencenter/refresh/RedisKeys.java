package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisProperties;
import org.springframework.stereotype.Component;

import java.time.LocalDate;

/**
 * Every Redis key and channel the engine uses. Keys live in the configured Redis database; pub/sub channels are
 * global to the Redis server, so their names carry the database index.
 */
@Component
class RedisKeys {

    private static final String PREFIX = "token-center:";

    private final int database;

    RedisKeys(RedisProperties redis) {
        this.database = redis.database();
    }

    String token(long upstreamId) {
        return PREFIX + "token:" + upstreamId;
    }

    String status(long upstreamId) {
        return PREFIX + "status:" + upstreamId;
    }

    String lock(long upstreamId) {
        return PREFIX + "lock:" + upstreamId;
    }

    String fence(long upstreamId) {
        return PREFIX + "fence:" + upstreamId;
    }

    String quota(long upstreamId, LocalDate quotaDay) {
        return PREFIX + "quota:" + upstreamId + ":" + quotaDay;
    }

    String window(String name, long upstreamId) {
        return PREFIX + name + ":" + upstreamId;
    }

    String tokenChangedChannel() {
        return PREFIX + "db" + database + ":token-changed";
    }

    String statusChangedChannel() {
        return PREFIX + "db" + database + ":status-changed";
    }

    String credentialChangedChannel() {
        return PREFIX + "db" + database + ":credential-changed";
    }
}
