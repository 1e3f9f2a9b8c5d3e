package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daily quota counts outlive Redis: two instances, a classic daily limit of 5 and the guard at 80 % (4 calls).
 * A credential that spent its 4 calls keeps them through a Redis that restarts empty (PostgreSQL holds them, Redis
 * gets them back, the guard still refuses); refreshes made while Redis is unreachable are counted in PostgreSQL and
 * stopped by the guard there; old quota days are removed in bounded batches.
 */
class QuotaDurabilityTest {

    private static final Duration LIFETIME = Duration.ofSeconds(5);
    private static final String PATH = TokenMode.CLASSIC.endpoint().path();
    private static final long GUARDED_FROM = 4;

    static StallingProxy redis;
    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static RegistryRows rows;
    static JdbcTemplate jdbc;
    static String tenant;

    record Cred(String appid, long environmentId, long upstreamId) {
    }

    @BeforeAll
    static void start() throws Exception {
        URI redisAddress = URI.create(TestInfrastructure.get().redisAddress());
        redis = new StallingProxy(redisAddress.getHost(), redisAddress.getPort());
        Map<String, Object> settings = new HashMap<>(CompressedRefreshSettings.defaults()
                .refresh("minimum-lead", "2s")
                .refresh("lead-fraction", "0.1")
                .refresh("classic-grace-period", "2s")
                .refresh("classic-daily-limit", "5")
                .refresh("quota-guard-share", "0.8")
                .toMap());
        settings.put("token-center.redis.address", "redis://127.0.0.1:" + redis.port());
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(2)), settings);
        simulator = cluster.simulator();
        a = cluster.start("quota-a");
        b = cluster.start("quota-b");
        rows = new RegistryRows(b);
        jdbc = b.getBean(JdbcTemplate.class);
        tenant = "qd-" + HexFormat.of().formatHex(randomBytes(3));
    }

    @AfterEach
    void redisBack() {
        redis.resume();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void countsSpentTodayComeBackAfterRedisRestartsEmptyAndTheGuardStillRefuses() throws Exception {
        Cred cred = create("restart");
        // the scheduler refreshes it until the guard stops it: 4 calls of 5
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> guardStopped(b.getBean(RedisTokenStore.class).status(cred.upstreamId()).orElse(null)));
        assertThat(simulator.callCount(cred.appid(), PATH)).isEqualTo(GUARDED_FROM);
        await().atMost(Duration.ofSeconds(5)).until(() -> persisted(cred) == GUARDED_FROM);

        redis.cut();
        cluster.flushRedis();
        // the registry changes meanwhile: an automatic attempt on each instance, coordinated in PostgreSQL, is refused
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            assertThat(credentialChanged(node, cred)).as("attempt without Redis").isEqualTo(RefreshOutcome.Result.REFUSED);
            assertThat(node.getBean(RedisBreaker.class).isOpen()).isTrue();
        }
        redis.resume();

        // Redis restarted empty: today's count is back, and the guard refuses by it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> !a.getBean(RedisBreaker.class).isOpen() && !b.getBean(RedisBreaker.class).isOpen()
                        && a.getBean(QuotaAccounting.class).usedToday(cred.upstreamId(), PATH) == GUARDED_FROM);
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            assertThat(credentialChanged(node, cred)).as("attempt with Redis").isEqualTo(RefreshOutcome.Result.REFUSED);
        }
        assertThat(simulator.callCount(cred.appid(), PATH)).isEqualTo(GUARDED_FROM);
        assertThat(a.getBean(QuotaAccounting.class).usedToday(cred.upstreamId(), PATH)).isEqualTo(GUARDED_FROM);
    }

    @Test
    void refreshesWithoutRedisAreCountedInPostgresAndStopAtTheGuard() throws Exception {
        Cred cred = create("outage");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> persisted(cred) >= 1);

        redis.cut();
        // every further refresh is coordinated in PostgreSQL: counted there, until the guard stops them
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> guardStopped(b.getBean(TokenStateStore.class).read(cred.upstreamId())
                        .map(TokenStateStore.Row::status).orElse(null)));
        assertThat(a.getBean(RedisBreaker.class).isOpen() || b.getBean(RedisBreaker.class).isOpen()).isTrue();
        Thread.sleep(LIFETIME.toMillis());
        assertThat(simulator.callCount(cred.appid(), PATH)).as("calls made").isEqualTo(GUARDED_FROM);
        assertThat(persisted(cred)).as("calls counted in PostgreSQL").isEqualTo(GUARDED_FROM);

        redis.resume();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> a.getBean(QuotaAccounting.class).usedToday(cred.upstreamId(), PATH) == GUARDED_FROM);
        assertThat(credentialChanged(a, cred)).isEqualTo(RefreshOutcome.Result.REFUSED);
        assertThat(simulator.callCount(cred.appid(), PATH)).isEqualTo(GUARDED_FROM);
    }

    @Test
    void oldQuotaDaysAreRemovedInBoundedBatches() throws Exception {
        Cred cred = create("pruned");
        LocalDate today = a.getBean(QuotaAccounting.class).quotaDay();
        int oldDays = QuotaWriter.PRUNE_BATCH + 200;
        jdbc.update("""
                insert into quota_usage (upstream_id, quota_day, counter, calls)
                select ?, ?::date - day, '/old', 1 from generate_series(?, ?) day
                """, cred.upstreamId(), today, QuotaWriter.KEPT_DAYS + 1, QuotaWriter.KEPT_DAYS + oldDays);
        jdbc.update("""
                insert into quota_usage (upstream_id, quota_day, counter, calls)
                select ?, ?::date - day, '/kept', 1 from generate_series(0, ?) day
                """, cred.upstreamId(), today, QuotaWriter.KEPT_DAYS);

        QuotaWriter writer = new QuotaWriter(a.getBean(QuotaLedger.class), a.getBean("tokenCenterClock", Clock.class));
        try {
            writer.drain();
            assertThat(rowsOf(cred, "/old")).isEqualTo(oldDays - QuotaWriter.PRUNE_BATCH);
            writer.drain();
            assertThat(rowsOf(cred, "/old")).isZero();
            assertThat(rowsOf(cred, "/kept")).isEqualTo(QuotaWriter.KEPT_DAYS + 1);
        } finally {
            writer.destroy();
        }
    }

    private static Cred create(String app) {
        String appid = "wx" + HexFormat.of().formatHex(randomBytes(8));
        simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
        long environmentId = rows.create(new CredentialKey(tenant, app, "prod"), "WECHAT_MINIPROGRAM", "CLASSIC", appid,
                "secret-" + appid);
        return new Cred(appid, environmentId, rows.upstreamId(environmentId));
    }

    private static boolean guardStopped(RefreshStatus status) {
        return status != null && status.state() == RefreshState.PAUSED && status.lastError() != null
                && status.lastError().policy() == ErrcodePolicy.QUOTA_GUARD;
    }

    /** Today's calls of the credential's token endpoint in PostgreSQL. */
    private static long persisted(Cred cred) {
        return b.getBean(QuotaLedger.class).used(cred.upstreamId(), b.getBean(QuotaAccounting.class).quotaDay(), PATH);
    }

    private static long rowsOf(Cred cred, String counter) {
        Long count = jdbc.queryForObject("select count(*) from quota_usage where upstream_id = ? and counter = ?",
                Long.class, cred.upstreamId(), counter);
        return count == null ? 0 : count;
    }

    /** An automatic attempt, as a change of the credential in the registry starts one. */
    private static RefreshOutcome.Result credentialChanged(ConfigurableApplicationContext node, Cred cred) throws Exception {
        CredentialCatalog catalog = node.getBean(CredentialCatalog.class);
        catalog.reload();
        CatalogEntry entry = catalog.find(cred.environmentId()).orElseThrow();
        return node.getBean(RefreshEngine.class).credentialChanged(entry).get(15, TimeUnit.SECONDS).result();
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
