package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that is stopped while its upstream call is in flight stores the token the call brings: in classic mode
 * that fetch has already superseded the previous token upstream, so dropping it would leave the cluster with a token
 * that dies in five minutes and a fresh one nobody holds.
 */
class ShutdownMidCallTest {

    private static final String APPID = "wxshutdown0000001";
    private static final String SECRET = "shutdown-secret-00000000000000001";

    private static RefreshTestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTokenFetchedWhileTheInstanceStopsIsStored() {
        WechatSimulator simulator = cluster.simulator();
        simulator.registerApp(APPID, SECRET, Platform.WECHAT);
        simulator.injectFault(Fault.latency("/cgi-bin/token", APPID, Duration.ofMillis(1500), 1));
        ConfigurableApplicationContext stopping = cluster.start("stopping-node");
        ConfigurableApplicationContext reader = cluster.start("reader-node",
                Map.of("token-center.refresh.scheduler-enabled", "false"));
        long environmentId = new RegistryRows(stopping).create(new CredentialKey("shutdown", "shop", "prod"),
                "WECHAT_OFFICIAL_ACCOUNT", "CLASSIC", APPID, SECRET);
        long upstreamId = new RegistryRows(stopping).upstreamId(environmentId);

        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.callCount(APPID, "/cgi-bin/token") == 1);
        stopping.close(); // the call is still waiting for its answer

        assertThat(simulator.tokensIssued(APPID)).isEqualTo(1);
        RedisTokenStore store = reader.getBean(RedisTokenStore.class);
        StoredToken stored = store.readToken(upstreamId).orElseThrow(() -> new AssertionError("the fetched token was dropped"));
        String token = reader.getBean(TokenCipher.class).open(stored).accessToken();
        assertThat(simulator.tokenValidity(token).valid()).isTrue();
        assertThat(simulator.callCount(APPID, "/cgi-bin/token")).isEqualTo(1);
    }
}
