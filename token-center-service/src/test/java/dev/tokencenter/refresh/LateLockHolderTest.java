package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock holder stalls past its lease under the lock (a migration holds the credential table, so the secret read
 * waits), then must not call WeChat: by then another instance may hold the lock and fetch, and in classic mode the
 * late holder's fetch would end the token the other one just stored. Exactly one upstream call is made for the due
 * refresh, and the token served afterwards is the one WeChat accepts.
 */
class LateLockHolderTest {

    private static final Duration TABLE_LOCK = Duration.ofSeconds(7);

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(Duration.ofSeconds(120))
                .withClassicGracePeriod(Duration.ofSeconds(30)),
                CompressedRefreshSettings.defaults()
                        .refresh("scheduler-period", "100ms")
                        .refresh("minimum-lifetime", "2s")
                        .refresh("minimum-lead", "10s")
                        .refresh("jitter", "0s")
                        .refresh("secret-read-wait", "8s")
                        .toMap());
        simulator = cluster.simulator();
        nodes = List.of(cluster.start("late-a"), cluster.start("late-b"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHolderWhoseLeaseRanOutUnderTheLockNeverCallsWechat() throws Exception {
        RegistryRows rows = new RegistryRows(nodes.get(0));
        String appid = "wx" + hex(8);
        String secret = "secret-" + appid;
        simulator.registerApp(appid, secret, Platform.WECHAT);
        long environmentId = rows.create(new CredentialKey("late", "app", "prod"), "WECHAT_OFFICIAL_ACCOUNT", "CLASSIC",
                appid, secret);
        long upstreamId = rows.upstreamId(environmentId);
        RedisTokenStore store = nodes.get(0).getBean(RedisTokenStore.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.status(upstreamId).map(RefreshStatus::hasToken).orElse(false));
        // both catalogs hold the credential (and its sealed secret) before the table is locked
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(node ->
                node.getBean(CredentialCatalog.class).find(environmentId).isPresent()));
        assertThat(simulator.callCount(appid, "/cgi-bin/token")).isEqualTo(1);

        String schema = nodes.get(0).getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .queryForObject("select current_schema()", String.class);
        TestInfrastructure infrastructure = TestInfrastructure.get();
        try (Connection migration = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.dbUser(),
                infrastructure.dbPassword())) {
            migration.setAutoCommit(false);
            try (Statement statement = migration.createStatement()) {
                statement.execute("lock table " + schema + ".credential in access exclusive mode");
            }
            // due now: the next tick on either instance takes the lock and blocks on the credential row
            RefreshStatus held = store.status(upstreamId).orElseThrow();
            Instant now = simulator.clock().now();
            long fence = store.nextFence(upstreamId, 0);
            assertThat(store.save(upstreamId, fence, null, new RefreshStatus(RefreshState.OK, held.sequence(),
                    held.appid(), held.expiresAt(), held.obtainedAt(), now, held.lastTrigger(), null, null,
                    held.refreshedBy(), 0, now), now)).isTrue();
            Thread.sleep(TABLE_LOCK.toMillis());
            migration.commit();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> store.status(upstreamId)
                .map(status -> status.state() == RefreshState.OK && status.sequence() > 1).orElse(false));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> simulator.callCount(appid, "/cgi-bin/token") == 2);
        String served = nodes.get(1).getBean(dev.tokencenter.token.TokenSource.class)
                .current(new CredentialKey("late", "app", "prod")).block(Duration.ofSeconds(5)).accessToken();
        assertThat(simulator.tokenValidity(served).valid()).isTrue();
        assertThat(simulator.tokensIssued(appid)).isEqualTo(2);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
