package dev.tokencenter.refresh;

import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.registry.CredentialKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Redis holds for an upstream credential does not outlive it: statuses expire, and deleting the last environment
 * that names the credential drops its token and status so that an attempt still under way cannot write them back.
 */
class ForgottenCredentialTest {

    private static RefreshTestCluster cluster;
    private static ConfigurableApplicationContext instance;
    private static RegistryRows rows;
    private static RedisTokenStore store;
    private static RedisKeys keys;
    private static RedissonClient redis;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of());
        instance = cluster.start("forget-node");
        rows = new RegistryRows(instance);
        store = instance.getBean(RedisTokenStore.class);
        keys = instance.getBean(RedisKeys.class);
        redis = instance.getBean(RedissonClient.class);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStatusExpiresAndADeletedCredentialsStateCannotBeWrittenBackByALateAttempt() {
        CredentialKey key = new CredentialKey("forget", "shop", "prod");
        cluster.simulator().registerApp("wxforget000000001", "forget-secret-000000000000000001", Platform.WECHAT);
        long environmentId = rows.create(key, "WECHAT_MINIPROGRAM", "STABLE", "wxforget000000001",
                "forget-secret-000000000000000001");
        long upstreamId = rows.upstreamId(environmentId);
        await().atMost(Duration.ofSeconds(15)).until(() -> store.readToken(upstreamId).isPresent());
        long statusTtl = redis.getBucket(keys.status(upstreamId)).remainTimeToLive();
        assertThat(statusTtl).isBetween(Duration.ofDays(6).toMillis(), Duration.ofDays(7).toMillis());
        StoredToken held = store.readToken(upstreamId).orElseThrow();
        RefreshStatus status = store.status(upstreamId).orElseThrow();

        long lateFence = store.nextFence(upstreamId, 0); // an attempt that started before the deletion
        rows.delete(environmentId, key);

        await().atMost(Duration.ofSeconds(10)).until(() -> store.readToken(upstreamId).isEmpty()
                && store.status(upstreamId).isEmpty());
        assertThat(store.save(upstreamId, lateFence, held, status, Instant.now())).isFalse();
        assertThat(store.readToken(upstreamId)).isEmpty();
        assertThat(store.status(upstreamId)).isEmpty();
        assertThat(redis.getBucket(keys.fence(upstreamId)).remainTimeToLive()).isPositive();
    }
}
