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

    String token(long environmentId) {
        return PREFIX + "token:" + environmentId;
    }

    String status(long environmentId) {
        return PREFIX + "status:" + environmentId;
    }

    String lock(long environmentId) {
        return PREFIX + "lock:" + environmentId;
    }

    String fence(long environmentId) {
        return PREFIX + "fence:" + environmentId;
    }

    String quota(long environmentId, LocalDate quotaDay) {
        return PREFIX + "quota:" + environmentId + ":" + quotaDay;
    }

    String window(String name, long environmentId) {
        return PREFIX + name + ":" + environmentId;
    }

    String tokenChangedChannel() {
        return PREFIX + "db" + database + ":token-changed";
    }

    String credentialChangedChannel() {
        return PREFIX + "db" + database + ":credential-changed";
    }
}
