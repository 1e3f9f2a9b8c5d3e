package dev.tokencenter.redis;

import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The breaker against a real Redis behind a proxy: a lost connection opens it at once; a command that went unanswered
 * opens it only when Redis does not answer a probe either, so one slow command on a busy machine does not send the
 * instance into the PostgreSQL fallback; it closes once Redis answers again.
 */
class RedisBreakerTest {

    private StallingProxy proxy;
    private RedissonClient redisson;
    private RedisBreaker breaker;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        URI redis = URI.create(TestInfrastructure.get().redisAddress());
        proxy = new StallingProxy(redis.getHost(), redis.getPort());
        RedisProperties properties = new RedisProperties("redis://127.0.0.1:" + proxy.port(), null, null, 0, 4, 1,
                Duration.ofMillis(300), Duration.ofMillis(500), 0, Duration.ofMillis(100),
                new RedisProperties.Sentinel(null, null, null, null), new RedisProperties.Cluster(null));
        redisson = Redisson.create(RedissonConfiguration.config(properties));
        breaker = new RedisBreaker(redisson, properties);
        breaker.onOpened(opened::incrementAndGet);
        breaker.onClosed(closed::incrementAndGet);
    }

    @AfterEach
    void stop() throws Exception {
        breaker.destroy();
        redisson.shutdown();
        proxy.close();
    }

    @Test
    void anUnansweredCommandWhileRedisAnswersProbesLeavesItClosed() throws Exception {
        breaker.failed(new RedisTimeoutException("Command execution timeout"));

        Thread.sleep(800); // the probe's bound (300 ms) and more
        assertThat(breaker.isOpen()).isFalse();
        assertThat(opened).hasValue(0);
    }

    @Test
    void anUnansweredCommandOpensItWhenTheProbeGoesUnansweredTooAndItClosesWhenRedisAnswers() {
        proxy.stall();
        breaker.failed(new RedisTimeoutException("Command execution timeout"));

        await().atMost(Duration.ofSeconds(3)).until(() -> breaker.isOpen() && opened.get() == 1);

        proxy.resume();
        await().atMost(Duration.ofSeconds(5)).until(() -> !breaker.isOpen() && closed.get() == 1);
    }

    @Test
    void aLostConnectionOpensItAtOnce() {
        breaker.failed(new RedisConnectionException("Unable to connect to Redis server"));

        assertThat(breaker.isOpen()).isTrue();
        assertThat(opened).hasValue(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> !breaker.isOpen());
    }

    @Test
    void aRefreshWorkerLearnsAtOnceWhetherAnUnansweredCallMeansRedisIsGone() {
        assertThat(breaker.failedAndOpen(new RedisTimeoutException("Command execution timeout"))).isFalse();

        proxy.stall();
        assertThat(breaker.failedAndOpen(new RedisTimeoutException("Command execution timeout"))).isTrue();
        assertThat(breaker.isOpen()).isTrue();
    }
}
