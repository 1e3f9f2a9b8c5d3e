package dev.tokencenter.compat;

import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The WeChat/WeCom-compatible endpoints answer in WeChat's exact shapes, with WeChat's errcodes. */
@IntegrationTest
class WechatCompatibleEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> WECHAT_TOKEN = Set.of("access_token", "expires_in");
    private static final Set<String> WECOM_TOKEN = Set.of("errcode", "errmsg", "access_token", "expires_in");
    private static final Set<String> ERROR = Set.of("errcode", "errmsg");

    @Autowired
    ApplicationContext context;

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
    void classicTokenCallAnswersWithTheCentersTokenInWechatsShape() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        JsonNode body = classic("client_credential", shop.appid(), client.key());
        assertThat(fields(body)).isEqualTo(WECHAT_TOKEN);
        assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.get("expires_in").asLong()).isBetween(61L, 7200L);
        String token = body.get("access_token").asString();
        assertThat(token).isEqualTo(v1Token(shop, client));
        assertThat(simulator.tokenValidity(token).valid()).isTrue();
    }

    @Test
    void classicTokenCallErrorsUseWechatsCodes() {
        String tenant = fixture.tenant();
        String otherTenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        Credential ungranted = fixture.wechat(tenant, "crm", "prod");
        Credential foreign = fixture.wechat(otherTenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        assertError(classic("authorization_code", shop.appid(), client.key()), 40002);
        assertError(classic(null, shop.appid(), client.key()), 40002);
        assertError(classic("client_credential", null, client.key()), 41002);
        assertError(classic("client_credential", shop.appid(), null), 41004);
        assertError(classic("client_credential", shop.appid(), shop.secret()), 40125);   // the real AppSecret is not a key
        assertError(classic("client_credential", shop.appid(), "tck_c0123456789abcdef_" + "A".repeat(43)), 40125);
        assertError(classic("client_credential", ungranted.appid(), client.key()), 40013);
        assertError(classic("client_credential", foreign.appid(), client.key()), 40013);
        assertError(classic("client_credential", "wx" + TokenApiFixture.hex(8), client.key()), 40013);
    }

    @Test
    void stableTokenCallAnswersInWechatsShapeAndForceRefreshReportsTheCurrentToken() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        JsonNode body = stable(shop.appid(), client.key(), false);
        assertThat(fields(body)).isEqualTo(WECHAT_TOKEN);
        String first = body.get("access_token").asString();
        assertThat(first).isEqualTo(v1Token(shop, client));

        simulator.invalidateToken(first);
        JsonNode forced = stable(shop.appid(), client.key(), true);
        assertThat(fields(forced)).isEqualTo(WECHAT_TOKEN);
        String second = forced.get("access_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.tokenValidity(second).valid()).isTrue();
        assertThat(v1Token(shop, client)).isEqualTo(second);
    }

    @Test
    void forceRefreshOfATokenWechatAcceptsKillsNothingAndIsRateLimitedPerClientWith429() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String current = stable(shop.appid(), client.key(), false).get("access_token").asString();
        long issuedBefore = simulator.tokensIssued(shop.appid());
        // WeChat still accepts the token: it comes back unchanged while WeChat can be asked (a few checks per
        // minute, which cost the client nothing), then "system busy"; force_refresh is never spent on it
        for (int i = 0; i < 13; i++) {
            JsonNode answer = stable(shop.appid(), client.key(), true);
            if (answer.has("access_token")) {
                assertThat(answer.get("access_token").asString()).isEqualTo(current);
            } else {
                assertError(answer, -1);
            }
        }
        assertThat(simulator.tokensIssued(shop.appid())).isEqualTo(issuedBefore);
        assertThat(simulator.tokenValidity(current).valid()).isTrue();

        byte[] limited = stableRequest(shop.appid(), client.key(), true).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 60L))
                .expectBody().returnResult().getResponseBody();
        assertError(JSON.readTree(limited), 45011);
        // a plain fetch is never limited
        assertThat(fields(stable(shop.appid(), client.key(), false))).isEqualTo(WECHAT_TOKEN);
    }

    @Test
    void stableTokenCallErrorsUseWechatsCodes() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "password");
        body.put("appid", shop.appid());
        body.put("secret", client.key());
        assertError(post(body), 40002);
        body.put("grant_type", "client_credential");
        body.remove("appid");
        assertError(post(body), 41002);
        body.put("appid", shop.appid());
        body.remove("secret");
        assertError(post(body), 41004);
        body.put("secret", "wrong");
        assertError(post(body), 40125);
        assertError(JSON.readTree(http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody()), 47001);
        assertError(JSON.readTree(http.get().uri("/cgi-bin/stable_token").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()), 43002);
    }

    @Test
    void aStableTokenBodyOfTheWrongShapeIsWechatsDataFormatError() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String good = "\"grant_type\":\"client_credential\",\"appid\":\"" + shop.appid() + "\",\"secret\":\"" + client.key() + "\"";

        for (String json : new String[] {
                "{\"grant_type\":1,\"appid\":[],\"secret\":{},\"force_refresh\":\"yes\"}",
                "{" + good + ",\"force_refresh\":\"true\"}",
                "{" + good + ",\"force_refresh\":1}",
                "{\"grant_type\":\"client_credential\",\"appid\":[\"" + shop.appid() + "\"],\"secret\":\"" + client.key() + "\"}",
                "{\"grant_type\":\"client_credential\",\"appid\":\"" + shop.appid() + "\",\"secret\":12345}",
                "{" + good + ",\"appid\":\"" + shop.appid() + "\"}",
                "{" + good + "} {}",
                "[{" + good + "}]",
                "\"" + client.key() + "\"",
                "{" + good}) {
            byte[] answer = http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                    .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
            JsonNode body = JSON.readTree(answer);
            assertError(body, 47001);
            assertThat(body.get("errmsg").asString()).as(json)
                    .matches("data format error rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
        }
        // WeChat ignores fields it does not know; so does the center
        assertThat(fields(JSON.readTree(http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{" + good + ",\"force_refresh\":false,\"lang\":\"zh_CN\"}").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()))).isEqualTo(WECHAT_TOKEN);
    }

    @Test
    void wecomTokenCallAnswersInWecomsShape() {
        String tenant = fixture.tenant();
        Credential hr = fixture.wecom(tenant, "hr", "prod");
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "*/*");

        JsonNode body = wecom(hr.appid(), client.key());
        assertThat(fields(body)).isEqualTo(WECOM_TOKEN);
        assertThat(body.get("errcode").asInt()).isZero();
        assertThat(body.get("errmsg").asString()).isEqualTo("ok");
        assertThat(body.get("access_token").asString()).isEqualTo(v1Token(hr, client));
        assertThat(simulator.tokenValidity(body.get("access_token").asString()).valid()).isTrue();

        assertError(wecom(null, client.key()), 41002);
        assertError(wecom(hr.appid(), null), 41004);
        assertError(wecom(hr.appid(), "wrong"), 40001);
        assertError(wecom(shop.appid(), client.key()), 40013);      // a WeChat app is not a WeCom corp
        assertError(classic("client_credential", hr.appid(), client.key()), 40013);  // and the other way round
    }

    @Test
    void aCallerAskingAgainForTheTokenItHoldsGetsANewOneOnlyWhenWechatRejectsIt() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        String first = classic("client_credential", shop.appid(), client.key()).get("access_token").asString();
        long issued = simulator.tokensIssued(shop.appid());
        // asking again while the token works: the same token, nothing refreshed
        assertThat(classic("client_credential", shop.appid(), client.key()).get("access_token").asString()).isEqualTo(first);
        assertThat(simulator.tokensIssued(shop.appid())).isEqualTo(issued);

        // WeChat stopped accepting it: the next plain fetch (what SDKs do after a 40001) gets a new, valid token
        simulator.invalidateToken(first);
        String second = classic("client_credential", shop.appid(), client.key()).get("access_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.tokenValidity(second).valid()).isTrue();
    }

    @Test
    void aCallerThatNeverCachesCostsWechatOnlyABoundedNumberOfProbes() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String first = classic("client_credential", shop.appid(), client.key()).get("access_token").asString();
        long probesBefore = simulator.callCount(shop.appid(), "/cgi-bin/openapi/quota/get");

        for (int i = 0; i < 20; i++) {
            assertThat(classic("client_credential", shop.appid(), client.key()).get("access_token").asString())
                    .isEqualTo(first);
        }
        assertThat(simulator.callCount(shop.appid(), "/cgi-bin/openapi/quota/get") - probesBefore)
                .isBetween(1L, 3L); // the report check budget: 3 per credential and instance, then one a minute
        assertThat(simulator.tokensIssued(shop.appid())).isEqualTo(1);
    }

    private JsonNode classic(String grantType, String appid, String key) {
        return JSON.readTree(http.get().uri(uri -> {
                    uri.path("/cgi-bin/token");
                    if (grantType != null) {
                        uri.queryParam("grant_type", grantType);
                    }
                    if (appid != null) {
                        uri.queryParam("appid", appid);
                    }
                    if (key != null) {
                        uri.queryParam("secret", key);
                    }
                    return uri.build();
                }).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());
    }

    private JsonNode wecom(String corpid, String key) {
        return JSON.readTree(http.get().uri(uri -> {
                    uri.path("/cgi-bin/gettoken");
                    if (corpid != null) {
                        uri.queryParam("corpid", corpid);
                    }
                    if (key != null) {
                        uri.queryParam("corpsecret", key);
                    }
                    return uri.build();
                }).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private JsonNode stable(String appid, String key, boolean forceRefresh) {
        return JSON.readTree(stableRequest(appid, key, forceRefresh).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private WebTestClient.RequestHeadersSpec<?> stableRequest(String appid, String key, boolean forceRefresh) {
        return http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("grant_type", "client_credential", "appid", appid, "secret", key,
                        "force_refresh", forceRefresh));
    }

    private JsonNode post(Map<String, Object> body) {
        return JSON.readTree(http.post().uri("/cgi-bin/stable_token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private String v1Token(Credential credential, CreatedClient client) {
        return JSON.readTree(http.get().uri(credential.path()).header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody()).get("access_token").asString();
    }

    private static void assertError(JsonNode body, int errcode) {
        assertThat(fields(body)).as(body.toString()).isEqualTo(ERROR);
        assertThat(body.get("errcode").asInt()).as(body.toString()).isEqualTo(errcode);
        assertThat(body.get("errmsg").asString()).isNotBlank();
    }

    private static Set<String> fields(JsonNode node) {
        return Set.copyOf(node.propertyNames());
    }
}
