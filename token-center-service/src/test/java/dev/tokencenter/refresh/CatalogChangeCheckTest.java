package dev.tokencenter.refresh;

import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.registry.CredentialKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The periodic safety-net reload of the credential catalog reads the catalog only when the registry changed: a quiet
 * registry leaves the loaded credentials (and so the scheduler's index) alone, and a change whose message was lost is
 * still picked up within the period.
 */
class CatalogChangeCheckTest {

    private static RefreshTestCluster cluster;
    private static ConfigurableApplicationContext instance;
    private static CredentialCatalog catalog;
    private static RegistryRows rows;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of(
                "token-center.refresh.catalog-reload-period", "100ms",
                "token-center.refresh.scheduler-period", "50ms"));
        instance = cluster.start("catalog-check-node");
        catalog = instance.getBean(CredentialCatalog.class);
        rows = new RegistryRows(instance);
        rows.create(new CredentialKey("quiet", "shop", "prod"), "WECHAT_MINIPROGRAM", "STABLE", "wxquiet0000000001",
                "quiet-secret-0000000000000000001");
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.find(new CredentialKey("quiet", "shop", "prod")).isPresent());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQuietRegistryIsNotReadAgain() throws InterruptedException {
        long before = catalog.version();
        Thread.sleep(1_500); // fifteen periodic checks
        assertThat(catalog.version()).isEqualTo(before);
    }

    @Test
    void aChangeWhoseMessageWasLostIsPickedUpByThePeriodicCheck() {
        CredentialKey unannounced = new CredentialKey("quiet", "shop", "staging");
        rows.insert(unannounced, "WECHAT_MINIPROGRAM", "STABLE", "wxquiet0000000002", "quiet-secret-0000000000000000002", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> catalog.find(unannounced).isPresent());
    }
}
