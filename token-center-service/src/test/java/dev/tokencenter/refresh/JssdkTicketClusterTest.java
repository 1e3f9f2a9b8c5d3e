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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JS-SDK tickets kept by the refresh engine on two instances, one simulator with 10 s tokens and 8 s tickets, read
 * over HTTP: one ticket call for concurrent first reads on both instances; the ticket fetched again after the token,
 * in the token's attempt; a ticket call that rejects the token refreshes the token once, then the ticket; WeCom's
 * hourly limit keeps the old ticket and stops the calls; a late fence holder's ticket write is dropped; forgetting a
 * credential drops its tickets.
 */
class JssdkTicketClusterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GETTICKET = TicketEndpoint.JSAPI.path();
    private static final String CORP_TICKET = TicketEndpoint.CORP_JSAPI.path();

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;
    static RegistryRows rows;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Cred(CredentialKey key, long upstreamId, String appid, String clientKey) {
        String ticketPath() {
            return "/v1/tokens/" + key.tenant() + "/" + key.app() + "/" + key.env() + "/jsapi-ticket";
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(Duration.ofSeconds(10))
                .withClassicGracePeriod(Duration.ofSeconds(5))
                .withTicketLifetime(Duration.ofSeconds(8)),
                CompressedRefreshSettings.defaults()
                        .refresh("minimum-lead", "5s")
                        .refresh("jitter", "0s")
                        .refresh("report-min-interval", "2s")
                        // the first reads fetch a token and a ticket on two cold instances: 3 s was not always
                        // enough on a loaded machine, and a read that waits too long answers 503 by design
                        .refresh("read-wait", "6s")
                        .toMap());
        simulator = cluster.simulator();
        // WeCom counts ticket calls per clock hour: keep this test away from the end of one
        long intoHour = simulator.clock().now().getEpochSecond() % 3600;
        simulator.clock().advance(Duration.ofSeconds(3600 - intoHour + 1));
        var tickets = java.util.Map.<String, Object>of("token-center.jssdk.minimum-lifetime", "1s",
                "token-center.jssdk.refresh-ahead", "3s", "token-center.jssdk.on-demand-interval", "2s");
        nodes = List.of(cluster.start("jssdk-a", tickets), cluster.start("jssdk-b", tickets));
        rows = new RegistryRows(nodes.get(0));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentFirstReadsOnTwoInstancesMakeOneTicketCall() throws Exception {
        Cred account = officialAccount("first", "CLASSIC");
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            reads.add(sendAsync(nodes.get(i % 2), account.ticketPath(), account.clientKey()));
        }
        List<String> tickets = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> read : reads) {
            HttpResponse<String> answer = read.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            tickets.add(JSON.readTree(answer.body()).get("ticket").asString());
        }
        assertThat(tickets.stream().distinct()).hasSize(1);
        assertThat(simulator.ticketValidity(tickets.get(0)).valid()).isTrue();
        assertThat(simulator.callCount(account.appid(), GETTICKET)).isEqualTo(1);
        assertThat(simulator.callCount(account.appid(), "/cgi-bin/token")).isEqualTo(1);
    }

    @Test
    void theTicketIsFetchedAgainAfterTheTokenInTheSameAttempt() throws Exception {
        Cred account = officialAccount("after-token", "CLASSIC");
        String first = ticketOf(nodes.get(0), account);
        RedisTokenStore tokens = nodes.get(0).getBean(RedisTokenStore.class);
        TicketStore tickets = nodes.get(0).getBean(TicketStore.class);
        long firstSequence = tokens.status(account.upstreamId()).orElseThrow().sequence();

        // no reads from here: the token refreshes bring the ticket calls
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.callCount(account.appid(), GETTICKET) >= 3);
        RefreshStatus status = tokens.status(account.upstreamId()).orElseThrow();
        StoredTicket stored = tickets.read(account.upstreamId(), TicketEndpoint.JSAPI).orElseThrow();
        assertThat(status.sequence()).isGreaterThan(firstSequence);
        assertThat(stored.fence()).as("fetched under the fence of a token refresh").isGreaterThan(firstSequence)
                .isLessThanOrEqualTo(status.sequence());
        assertThat(stored.obtainedAt()).isAfterOrEqualTo(status.obtainedAt().minusSeconds(6));
        String served = ticketOf(nodes.get(1), account);
        assertThat(served).isNotEqualTo(first);
        assertThat(simulator.ticketValidity(served).valid()).isTrue();
    }

    @Test
    void aTicketCallThatRejectsTheTokenRefreshesTheTokenOnceThenTheTicket() throws Exception {
        Cred account = officialAccount("rejected", "CLASSIC");
        HttpResponse<String> token = send(nodes.get(0), "/v1/tokens/" + account.key().tenant() + "/" + account.key().app()
                + "/" + account.key().env(), account.clientKey());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        simulator.injectFault(Fault.errcode(GETTICKET, account.appid(), 40001, 1));

        String ticket = ticketOf(nodes.get(1), account);
        assertThat(simulator.ticketValidity(ticket).valid()).isTrue();
        assertThat(simulator.callCount(account.appid(), GETTICKET)).isEqualTo(2);
        assertThat(simulator.tokensIssued(account.appid())).as("the token was refreshed once").isEqualTo(2);
        RefreshStatus status = nodes.get(0).getBean(RedisTokenStore.class).status(account.upstreamId()).orElseThrow();
        assertThat(status.lastTrigger()).isEqualTo("reported");
        assertThat(status.state()).isEqualTo(RefreshState.OK);
        assertThat(nodes.get(0).getBean(TicketStore.class).read(account.upstreamId(), TicketEndpoint.JSAPI).orElseThrow()
                .fence()).isEqualTo(status.sequence());
    }

    @Test
    void wecomsHourlyLimitKeepsTheOldTicketAndStopsTheCalls() throws Exception {
        Cred corp = wecom("limited");
        String ticket = ticketOf(nodes.get(0), corp);
        simulator.injectFault(Fault.errcode(CORP_TICKET, corp.appid(), 45009, "api freq out of limit", 100));

        // due after 4 to 5 s (8 s ticket, WeChat's expires_in in whole seconds, 3 s ahead): still served while the
        // renewal is refused, up to its minimum lifetime (1 s)
        Instant expires = simulator.ticketValidity(ticket).expiresAt();
        for (int read = 0; simulator.clock().now().isBefore(expires.minusMillis(2500)); read++) {
            assertThat(ticketOf(nodes.get(read % 2), corp)).isEqualTo(ticket);
            Thread.sleep(200);
        }
        assertThat(simulator.callCount(corp.appid(), CORP_TICKET)).isEqualTo(2);
        TicketError error = nodes.get(0).getBean(TicketStore.class).error(corp.upstreamId(), TicketEndpoint.CORP_JSAPI)
                .orElseThrow();
        assertThat(error.errcode()).isEqualTo(45009);
        assertThat(error.limited()).isTrue();
        assertThat(error.notBefore()).isEqualTo(TicketFailures.nextClockHour(error.at()));

        // expired, and the token refreshed meanwhile: no call until the next hour, the token unaffected
        Thread.sleep(4000);
        HttpResponse<String> refused = send(nodes.get(1), corp.ticketPath(), corp.clientKey());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).get("type").asString()).endsWith("/ticket-unavailable");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isGreaterThan(60);
        assertThat(simulator.callCount(corp.appid(), CORP_TICKET)).isEqualTo(2);
        RefreshStatus status = nodes.get(0).getBean(RedisTokenStore.class).status(corp.upstreamId()).orElseThrow();
        assertThat(status.state()).isEqualTo(RefreshState.OK);
        assertThat(status.lastError()).isNull();
        CredentialStatusView view = nodes.get(1).getBean(RefreshStatusService.class).one(corp.key()).orElseThrow();
        assertThat(view.tickets()).singleElement().satisfies(shown -> {
            assertThat(shown.type()).isEqualTo("corp_jsapi");
            assertThat(shown.lastError().errcode()).isEqualTo(45009);
        });
        simulator.clearFaults();
    }

    @Test
    void aLateFenceHoldersTicketIsDroppedAndForgettingDropsTickets() throws Exception {
        Cred account = officialAccount("late", "STABLE");
        String held = ticketOf(nodes.get(0), account);
        RedisTokenStore tokens = nodes.get(0).getBean(RedisTokenStore.class);
        TicketStore tickets = nodes.get(0).getBean(TicketStore.class);
        TokenCipher sealing = nodes.get(0).getBean(TokenCipher.class);
        long late = tokens.nextFence(account.upstreamId(), 0);
        long newer = tokens.nextFence(account.upstreamId(), 0);
        Instant now = simulator.clock().now();
        StoredTicket stale = sealing.sealTicket(new CurrentTicket(account.upstreamId(), TicketEndpoint.JSAPI, late,
                "a-late-ticket", now.plusSeconds(60), now, now.plusSeconds(50)));

        assertThat(tickets.save(account.upstreamId(), TicketEndpoint.JSAPI, late, stale, null, now)).isFalse();
        assertThat(sealing.openTicket(tickets.read(account.upstreamId(), TicketEndpoint.JSAPI).orElseThrow()).ticket())
                .isEqualTo(held);
        assertThat(newer).isGreaterThan(late);

        tokens.forget(account.upstreamId());
        assertThat(tickets.read(account.upstreamId(), TicketEndpoint.JSAPI)).isEmpty();
        assertThat(tickets.enrolled(account.upstreamId(), List.of(TicketEndpoint.JSAPI))).isEmpty();
    }

    private static Cred officialAccount(String tenant, String mode) {
        String appid = "wx" + hex(8);
        simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
        return create(new CredentialKey(tenant, "h5", appid.substring(2, 12)), "WECHAT_OFFICIAL_ACCOUNT", mode, appid);
    }

    private static Cred wecom(String tenant) {
        String corpid = "ww" + hex(8);
        simulator.registerApp(corpid, "secret-" + corpid, Platform.WECOM);
        return create(new CredentialKey(tenant, "portal", corpid.substring(2, 12)), "WECOM", "STABLE", corpid);
    }

    private static Cred create(CredentialKey key, String platform, String mode, String appid) {
        long environmentId = rows.create(key, platform, mode, appid, "secret-" + appid);
        long upstreamId = rows.upstreamId(environmentId);
        String clientKey = nodes.get(0).getBean(ApiClientService.class).createClient("test", key.tenant(), "c-" + hex(3),
                List.of(new ClientGrant(key.app(), key.env(), List.of("token", "jssdk")))).key();
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(node ->
                node.getBean(CredentialCatalog.class).find(key).isPresent()));
        return new Cred(key, upstreamId, appid, clientKey);
    }

    private static String ticketOf(ConfigurableApplicationContext node, Cred cred) throws Exception {
        HttpResponse<String> answer = send(node, cred.ticketPath(), cred.clientKey());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("ticket").asString();
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext node, String path, String key)
            throws IOException, InterruptedException {
        return http.send(request(node, path, key), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(ConfigurableApplicationContext node, String path, String key) {
        return http.sendAsync(request(node, path, key), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(ConfigurableApplicationContext node, String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port") + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).build();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
