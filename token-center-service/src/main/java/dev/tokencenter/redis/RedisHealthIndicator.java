package dev.tokencenter.redis;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code redis} in the readiness group: one read command answered within the Redis command bound. Shows no address
 * and no password: only the failure's class name when it is DOWN.
 */
@Component
class RedisHealthIndicator implements ReactiveHealthIndicator {

    static final String PROBE_KEY = "token-center:health-probe";

    private final RedissonClient redisson;
    private final RedisProperties properties;

    RedisHealthIndicator(RedissonClient redisson, RedisProperties properties) {
        this.redisson = redisson;
        this.properties = properties;
    }

    @Override
    public Mono<Health> health() {
        return Mono.defer(() -> Mono.fromCompletionStage(redisson.getBucket(PROBE_KEY, StringCodec.INSTANCE).isExistsAsync()))
                .timeout(properties.commandBound())
                .map(exists -> Health.up().build())
                .onErrorResume(error -> Mono.just(Health.down().withDetail("error", error.getClass().getSimpleName()).build()));
    }
}
