package dev.tokencenter.compat;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatible endpoints' fast path answers, over real HTTP, exactly what the full chain answers (status, every
 * header, body but for the token's own countdown), and only warm, authorised calls; every other call reaches the
 * routed handler unchanged.
 */
@IntegrationTest
class CompatFastPathTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    WarmCompatReads fastPath;

    @Autowired
    ApiClientDirectory clients;

    @Autowired
    MeterRegistry meters;

    TokenApiFixture fixture;
    WebTestClient http;
    WechatSimulator simulator;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        http = TokenApiFixture.http(context);
        simulator = TestInfrastructure.get().simulator();
    }

    @Test
    void answersAWarmCallOfEachEndpointExactlyAsTheFullChainDoes() {
        String tenant = fixture.tenant();
        Credential classic = fixture.wechat(tenant, "shop", "prod");
        Credential stable = fixture.wechat(tenant, "shop", "test");
        Credential wecom = fixture.wecom(tenant, "hr", "prod");
        // one client answered by the full chain, one by the fast path: each a caller of its own, so both calls are
        // first fetches (a caller asking again for the token it holds is a report of a failing token)
        CreatedClient viaChain = fixture.client(tenant, "shop/*", "hr/*");
        CreatedClient viaFastPath = fixture.client(tenant, "shop/*", "hr/*");
        warm(viaFastPath, classic, stable, wecom);

        compare("/cgi-bin/token", key -> classicCall(classic.appid(), key), viaChain, viaFastPath);
        compare("/cgi-bin/stable_token", key -> stableCall(plainBody(stable.appid(), key, "false")), viaChain, viaFastPath);
        compare("/cgi-bin/gettoken", key -> http.get().uri(uri -> uri.path("/cgi-bin/gettoken")
                .queryParam("corpid", wecom.appid()).queryParam("corpsecret", key).build()), viaChain, viaFastPath);
    }

    @Test
    void answersARepeatedFetchOnlyOnceTheReportCouldNotReplaceTheToken() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        warm(client, shop);
        long probesBefore = simulator.callCount(shop.appid(), "/cgi-bin/openapi/quota/get");

        Answered first = call(() -> classicCall(shop.appid(), client.key()));
        assertThat(first.byFastPath()).isTrue();
        // asking again while WeChat can be asked whether the token works: the handler reports it (3 checks per
        // credential and instance, then one a minute); after that a report could only keep the token, as here
        for (int i = 0; i < 3; i++) {
            Answered again = call(() -> classicCall(shop.appid(), client.key()));
            assertThat(again.byFastPath()).as("repeat %d", i + 1).isFalse();
            assertThat(token(again)).isEqualTo(token(first));
        }
        assertThat(simulator.callCount(shop.appid(), "/cgi-bin/openapi/quota/get") - probesBefore).isEqualTo(3);
        Answered spent = call(() -> classicCall(shop.appid(), client.key()));
        assertThat(spent.byFastPath()).isTrue();
        assertThat(token(spent)).isEqualTo(token(first));
        assertThat(simulator.callCount(shop.appid(), "/cgi-bin/openapi/quota/get") - probesBefore).isEqualTo(3);
        assertThat(simulator.tokensIssued(shop.appid())).isEqualTo(1);
    }

    @Test
    void leavesEverythingButAWarmAuthorisedCallToTheFullChain() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        Credential crm = fixture.wechat(tenant, "crm", "prod");
        Credential hr = fixture.wecom(tenant, "hr", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod", "hr/prod", "crm/prod:jssdk");
        warm(client, shop, hr);
        String wrongKey = client.key().substring(0, client.key().length() - 1)
                + (client.key().endsWith("A") ? "B" : "A");

        expectError(() -> classicCall(shop.appid(), wrongKey), 40125);
        expectError(() -> classicCall(crm.appid(), client.key()), 40013);                  // granted, not the token right
        expectError(() -> classicCall("wx" + TokenApiFixture.hex(8), client.key()), 40013);  // unknown AppID
        expectError(() -> classicCall(hr.appid(), client.key()), 40013);                   // a WeCom corp on WeChat's call
        expectError(() -> http.get().uri(uri -> uri.path("/cgi-bin/token").queryParam("grant_type", "password")
                .queryParam("appid", shop.appid()).queryParam("secret", client.key()).build()), 40002);
        expectError(() -> http.get().uri(uri -> uri.path("/cgi-bin/gettoken").queryParam("corpid", shop.appid())
                .queryParam("corpsecret", client.key()).build()), 40013);                  // a WeChat app on WeCom's
        expectError(() -> http.get().uri(uri -> uri.path("/cgi-bin/gettoken").queryParam("corpid", hr.appid())
                .queryParam("corpsecret", wrongKey).build()), 40001);
        expectError(() -> stableCall(plainBody(shop.appid(), wrongKey, "false")), 40125);
        expectError(() -> stableCall(plainBody(shop.appid(), client.key(), "false") + " {}"), 47001);
        expectError(() -> stableCall(plainBody(shop.appid(), client.key(), "0")), 47001);
        expectError(() -> stableCall("{\"appid\":\"" + shop.appid() + "\",\"appid\":\"" + shop.appid() + "\"}"), 47001);
        expectError(() -> http.post().uri("/cgi-bin/stable_token").contentType(MediaType.TEXT_PLAIN)
                .bodyValue(plainBody(shop.appid(), client.key(), "false")), 47001);

        // bodies the fast path does not read itself reach the handler intact, which answers them with the token
        String token = token(call(() -> classicCall(shop.appid(), client.key())));
        for (String body : new String[] {
                plainBody(shop.appid(), client.key(), "false").replace("}", ",\"lang\":\"zh_CN\"}"),
                plainBody(shop.appid(), client.key(), "false").replace("client_credential", "client\\u005fcredential"),
                plainBody(shop.appid(), client.key(), "true")}) {   // force_refresh: WeChat still accepts the token
            Answered answered = call(() -> stableCall(body));
            assertThat(answered.byFastPath()).as(body).isFalse();
            assertThat(token(answered)).as(body).isEqualTo(token);
        }

        fixture.revoke(tenant, client.clientId());
        expectError(() -> classicCall(shop.appid(), client.key()), 40125);
    }

    @Test
    void readsOnlyThePlainFormOfAStableTokenBody() {
        StableTokenBody plain = StableTokenText.parse(bytes(
                " {\n \"grant_type\" : \"client_credential\",\t\"appid\":\"wx1\", \"secret\":\"tck_a_b\", \"force_refresh\":null } "));
        assertThat(plain).isEqualTo(new StableTokenBody("client_credential", "wx1", "tck_a_b", false));
        assertThat(StableTokenText.parse(bytes("{\"force_refresh\":true,\"appid\":null}")))
                .isEqualTo(new StableTokenBody(null, null, null, true));
        for (String other : new String[] {"", "{", "[]", "{\"appid\":\"wx\\u0031\"}", "{\"appid\":\"wx1\",}",
                "{\"appid\":1}", "{\"force_refresh\":\"true\"}", "{\"appid\":\"a\",\"appid\":\"a\"}", "{\"lang\":\"zh\"}",
                "{\"appid\":\"a\"} x", "{\"appid\":\"a\"\"secret\":\"b\"}", "{\"appid\":\"\u00e9\"}", "{\"force_refresh\":truex}"}) {
            assertThat(StableTokenText.parse(bytes(other))).as(other).isNull();
        }
    }

    private void compare(String route, Function<String, WebTestClient.RequestHeadersSpec<?>> request,
                         CreatedClient viaChain, CreatedClient viaFastPath) {
        Timer timer = meters.get("tokencenter.api.requests").tag("route", route).tag("status", "200").timer();
        long timed = timer.count();
        Answered fast = call(() -> request.apply(viaFastPath.key()));
        clients.evict(viaChain.clientId());   // not in memory: the fast path passes the call on
        Answered full = call(() -> request.apply(viaChain.key()));

        assertThat(fast.byFastPath()).as(route + " by the fast path").isTrue();
        assertThat(full.byFastPath()).as(route + " by the full chain").isFalse();
        // timed when the response is complete, which may be a moment after the client has it
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> timer.count() - timed == 2);
        assertThat(fast.result().getStatus()).isEqualTo(full.result().getStatus());
        assertThat(headers(fast)).as(route).isEqualTo(headers(full));
        assertThat(fast.result().getResponseHeaders().getContentLength()).isEqualTo(fast.result().getResponseBody().length);
        assertThat(withoutCountdown(fast)).as(route).isEqualTo(withoutCountdown(full));
        assertThat(token(fast)).isNotBlank();
    }

    /** Client and tokens in this instance's memory, as after any earlier read. */
    private void warm(CreatedClient client, Credential... credentials) {
        // the echo of the client's creation on the client-change topic may empty the instance's memory once more
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(100)).until(() -> {
            for (Credential credential : credentials) {
                http.get().uri(credential.path()).header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                        .exchange().expectStatus().isOk();
            }
            return clients.verifiedFromMemory(client.key()) != null;
        });
    }

    private Answered call(Supplier<WebTestClient.RequestHeadersSpec<?>> request) {
        long before = fastPath.answered();
        EntityExchangeResult<byte[]> result = request.get().exchange().expectBody().returnResult();
        return new Answered(result, fastPath.answered() - before == 1);
    }

    private void expectError(Supplier<WebTestClient.RequestHeadersSpec<?>> request, int errcode) {
        Answered answered = call(request);
        String body = body(answered);
        assertThat(answered.byFastPath()).as(body).isFalse();
        assertThat(answered.result().getStatus().value()).as(body).isEqualTo(200);
        assertThat(body).as(body).startsWith("{\"errcode\":" + errcode + ",");
    }

    private WebTestClient.RequestHeadersSpec<?> classicCall(String appid, String key) {
        return http.get().uri(uri -> uri.path("/cgi-bin/token").queryParam("grant_type", "client_credential")
                .queryParam("appid", appid).queryParam("secret", key).build());
    }

    private WebTestClient.RequestHeadersSpec<?> stableCall(String body) {
        return http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static String plainBody(String appid, String key, String forceRefresh) {
        return "{\"grant_type\":\"client_credential\",\"appid\":\"" + appid + "\",\"secret\":\"" + key
                + "\",\"force_refresh\":" + forceRefresh + "}";
    }

    private static Map<String, String> headers(Answered answered) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        answered.result().getResponseHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        headers.remove(HttpHeaders.CONTENT_LENGTH);   // the countdown may have one digit less
        return headers;
    }

    private static String withoutCountdown(Answered answered) {
        return body(answered).replaceAll("\"expires_in\":\\d+", "\"expires_in\":N");
    }

    private static String token(Answered answered) {
        var matcher = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body(answered));
        assertThat(matcher.find()).as(body(answered)).isTrue();
        return matcher.group(1);
    }

    private static String body(Answered answered) {
        return new String(answered.result().getResponseBody(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Answered(EntityExchangeResult<byte[]> result, boolean byFastPath) {
    }
}
