package dev.tokencenter.admin;

import dev.tokencenter.redis.RedisProperties;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

/**
 * The last refresh outcomes of each environment (a capped Redis list per environment, newest first), written by the
 * instance that wrote the status ({@link AdminEventWriter}), read by the credential page. Kept 7 days after the last
 * outcome.
 */
@Component
class RefreshHistory {

    private static final String PREFIX = "token-center:refresh-history:";
    static final Duration RETENTION = Duration.ofDays(7);

    private final RedissonClient redisson;
    private final int length;
    private final Duration bound;

    RefreshHistory(RedissonClient redisson, RedisProperties redis, AdminEventProperties properties) {
        this.redisson = redisson;
        this.length = properties.historyLength();
        this.bound = redis.commandBound().multipliedBy(2);
    }

    static String key(long environmentId) {
        return PREFIX + environmentId;
    }

    Mono<List<JsonNode>> read(long environmentId) {
        return Mono.fromCompletionStage(() -> redisson.<String>getList(key(environmentId), StringCodec.INSTANCE)
                        .rangeAsync(0, length - 1))
                .map(entries -> entries.stream().map(AdminEventJson.JSON::readTree).toList())
                .timeout(bound);
    }
}
