package dev.tokencenter.refresh;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.wechat.TicketEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tokencenter.support.TokenApiFixture.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One instance, where nobody else would pick up what it misses: a status written while a scheduled attempt is still
 * under way (here: the attempt stored its token and then waits on a hanging JS-SDK ticket call) is what the scheduler
 * follows afterwards. The attempt's late outcome, read before that status was written, must not put the credential
 * back to its own, later due time.
 */
class ScheduledOutcomeTest {

    private static final String TOKEN = "/cgi-bin/token";
    private static final String GETTICKET = TicketEndpoint.JSAPI.path();

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static ConfigurableApplicationContext node;
    static RedisTokenStore store;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        // 60 s tokens refreshed 10 s ahead, 20 s tickets renewed 3 s ahead: every token refresh also fetches the ticket
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(Duration.ofSeconds(60))
                .withClassicGracePeriod(Duration.ofSeconds(10))
                .withTicketLifetime(Duration.ofSeconds(20)),
                CompressedRefreshSettings.defaults()
                        .refresh("minimum-lead", "10s")
                        .refresh("jitter", "0s")
                        .refresh("read-wait", "6s")
                        .toMap());
        simulator = cluster.simulator();
        node = cluster.start("outcome-node", Map.of("token-center.jssdk.refresh-ahead", "3s"));
        store = node.getBean(RedisTokenStore.class);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStatusWrittenWhileAScheduledAttemptIsUnderWayIsNotUndoneByItsOutcome() throws Exception {
        String appid = "wx" + hex(8);
        simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
        CredentialKey key = new CredentialKey("outcome", "h5", appid.substring(2, 12));
        RegistryRows rows = new RegistryRows(node);
        long upstreamId = rows.upstreamId(rows.create(key, "WECHAT_OFFICIAL_ACCOUNT", "CLASSIC", appid, "secret-" + appid));
        String clientKey = node.getBean(ApiClientService.class).createClient("test", key.tenant(), "c-" + hex(3),
                List.of(new ClientGrant(key.app(), key.env(), List.of("token", "jssdk")))).key();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.getBean(CredentialCatalog.class).find(key).isPresent());
        HttpResponse<String> ticket = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.getEnvironment().getProperty("local.server.port") + "/v1/tokens/" + key.tenant() + "/"
                        + key.app() + "/" + key.env() + "/jsapi-ticket"))
                .header("Authorization", "Bearer " + clientKey).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ticket.statusCode()).as(ticket.body()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(ticket.body()).get("ticket").asString()).isNotBlank();
        assertThat(simulator.callCount(appid, TOKEN)).isEqualTo(1);

        // a scheduled refresh stores the new token, then hangs on the ticket call that follows it in the same attempt
        simulator.injectFault(Fault.hang(GETTICKET, appid, 1));
        dueNow(upstreamId);
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.callCount(appid, GETTICKET) == 2);
        RefreshStatus stored = store.status(upstreamId).orElseThrow();
        assertThat(simulator.callCount(appid, TOKEN)).isEqualTo(2);
        assertThat(stored.nextRefreshAt()).as("the attempt's own due time").isAfter(simulator.clock().now().plusSeconds(30));

        // while it hangs, a newer fence holder writes a status that is due at once
        dueNow(upstreamId);

        // the hanging call gives up after 1.5 s; then the newer status is followed, not the attempt's outcome
        await().atMost(Duration.ofSeconds(6)).until(() -> simulator.callCount(appid, TOKEN) == 3);
        await().atMost(Duration.ofSeconds(3)).until(() -> store.status(upstreamId).orElseThrow().sequence() > stored.sequence());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> simulator.callCount(appid, TOKEN) == 3);
    }

    /** Overwrites the shared status as the newest fence holder would, with a refresh due now. */
    private static void dueNow(long upstreamId) {
        RefreshStatus held = store.status(upstreamId).orElseThrow();
        RefreshStatus due = new RefreshStatus(RefreshState.OK, held.sequence(), held.appid(), held.expiresAt(),
                held.obtainedAt(), simulator.clock().now(), held.lastTrigger(), null, null, held.refreshedBy(), 0,
                simulator.clock().now());
        long fence = store.nextFence(upstreamId, 0);
        assertThat(store.save(upstreamId, fence, null, due, simulator.clock().now())).isTrue();
    }
}
