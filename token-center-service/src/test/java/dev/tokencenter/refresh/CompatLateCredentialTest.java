package dev.tokencenter.refresh;

import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.support.TokenApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WeChat-compatible endpoints find a credential created a moment ago, before the instance heard of the change
 * (here: its message never comes): a miss makes the catalog catch up with the registry first.
 */
class CompatLateCredentialTest {

    private static final String APPID = "wxlatecompat00001";
    private static final String SECRET = "late-compat-secret-0000000000001";

    private static RefreshTestCluster cluster;
    private static ConfigurableApplicationContext instance;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of());
        instance = cluster.start("compat-late-node");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCredentialWhoseChangeMessageHasNotArrivedIsServedAtOnce() {
        cluster.simulator().registerApp(APPID, SECRET, Platform.WECHAT);
        new RegistryRows(instance).insert(new CredentialKey("late", "shop", "prod"), "WECHAT_OFFICIAL_ACCOUNT", "CLASSIC",
                APPID, SECRET, true);
        CreatedClient client = new TokenApiFixture(instance).client("late", "shop/prod");

        byte[] answer = TokenApiFixture.http(instance).get()
                .uri(uri -> uri.path("/cgi-bin/token").queryParam("grant_type", "client_credential")
                        .queryParam("appid", APPID).queryParam("secret", client.key()).build())
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();

        JsonNode body = JsonMapper.builder().build().readTree(answer);
        assertThat(body.has("access_token")).as(body.toString()).isTrue();
        assertThat(cluster.simulator().tokenValidity(body.get("access_token").asString()).valid()).isTrue();
    }
}
