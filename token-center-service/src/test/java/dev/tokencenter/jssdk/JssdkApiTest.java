package dev.tokencenter.jssdk;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.simulator.TicketValidity;
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
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JS-SDK endpoints over HTTP on a real instance with the simulator: tickets and signatures of official accounts and
 * WeCom apps (each signature recomputed from the ticket the simulator issued), URLs signed as given, and every problem.
 */
@IntegrationTest
class JssdkApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEMS = "https://token-center.dev/problems/";

    @Autowired
    ApplicationContext context;

    @Autowired
    ClientCallCounter calls;

    TokenApiFixture fixture;
    WebTestClient http;
    WechatSimulator simulator;
    String tenant;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        http = TokenApiFixture.http(context);
        simulator = TestInfrastructure.get().simulator();
        tenant = fixture.tenant();
    }

    @Test
    void anOfficialAccountGetsItsTicketAndSignaturesOfUrlsAsGiven() {
        Credential account = fixture.officialAccount(tenant, "h5", "prod");
        CreatedClient client = fixture.client(tenant, "h5/prod:jssdk");

        EntityExchangeResult<byte[]> read = get(ticketPath(account), client.key()).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON).expectBody().returnResult();
        JsonNode ticket = JSON.readTree(read.getResponseBody());
        assertThat(fieldNames(ticket)).containsExactlyInAnyOrder("ticket", "type", "expires_in", "expires_at", "appid",
                "tenant", "app", "env");
        assertThat(ticket.get("type").asString()).isEqualTo("jsapi");
        assertThat(ticket.get("appid").asString()).isEqualTo(account.appid());
        assertThat(ticket.get("expires_in").asLong()).isBetween(7000L, 7200L);
        assertThat(read.getResponseHeaders().getFirst(HttpHeaders.CACHE_CONTROL)).matches("private, max-age=\\d+");
        String value = ticket.get("ticket").asString();
        TicketValidity validity = simulator.ticketValidity(value);
        assertThat(validity.valid()).isTrue();
        assertThat(validity.appid()).isEqualTo(account.appid());
        assertThat(validity.type()).isEqualTo("jsapi");

        String page = "https://shop.example.com/pay?order=42&name=%E4%B8%AD%20x&b=a+b";
        for (String url : new String[] {page, page + "#/cart?step=2", "http://mp.weixin.qq.com?params=value"}) {
            JsonNode signed = sign(account, client.key(), url);
            assertThat(fieldNames(signed)).containsExactlyInAnyOrder("app_id", "timestamp", "nonce_str", "signature");
            assertThat(signed.get("app_id").asString()).isEqualTo(account.appid());
            assertThat(signed.get("nonce_str").asString()).matches("[A-Za-z0-9]{16}");
            assertThat(signed.get("timestamp").asLong()).isCloseTo(Instant.now().getEpochSecond(),
                    org.assertj.core.data.Offset.offset(5L));
            String signedUrl = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
            assertThat(signed.get("signature").asString()).isEqualTo(sha1("jsapi_ticket=" + value + "&noncestr="
                    + signed.get("nonce_str").asString() + "&timestamp=" + signed.get("timestamp").asLong() + "&url=" + signedUrl));
        }
        assertThat(simulator.callCount(account.appid(), "/cgi-bin/ticket/getticket")).as("one ticket call, then cached").isEqualTo(1);
        calls.flush();
        String counted = account.key() + "|" + client.clientId() + "|";
        assertThat(calls.allTime()).containsEntry(counted + "jssdk.ticket", 1L).containsEntry(counted + "jssdk.signature", 3L);
    }

    @Test
    void aWecomAppGetsItsCorpAndAppTicketsAndBothSignatures() {
        Credential corp = fixture.wecomAgent(tenant, "portal", "prod", "1000002");
        CreatedClient client = fixture.client(tenant, "portal/prod:jssdk");

        JsonNode corpTicket = ticket(corp, client.key(), "");
        JsonNode agentTicket = ticket(corp, client.key(), "?type=agent_config");
        assertThat(ticket(corp, client.key(), "?type=corp_jsapi").get("ticket")).isEqualTo(corpTicket.get("ticket"));
        assertThat(corpTicket.get("type").asString()).isEqualTo("corp_jsapi");
        assertThat(agentTicket.get("type").asString()).isEqualTo("agent_config");
        assertThat(simulator.ticketValidity(corpTicket.get("ticket").asString()).type()).isEqualTo("corp_jsapi");
        TicketValidity agent = simulator.ticketValidity(agentTicket.get("ticket").asString());
        assertThat(agent.type()).isEqualTo("agent_config");
        assertThat(agent.appid()).isEqualTo(corp.appid());

        String url = "https://portal.example.com/app?from=%2Fhome#section";
        JsonNode signed = sign(corp, client.key(), url);
        assertThat(fieldNames(signed)).containsExactlyInAnyOrder("app_id", "timestamp", "nonce_str", "signature", "agent_config");
        assertThat(signed.get("app_id").asString()).isEqualTo(corp.appid());
        assertThat(signed.get("signature").asString()).isEqualTo(expected(corpTicket, signed, url));
        JsonNode agentConfig = signed.get("agent_config");
        assertThat(fieldNames(agentConfig)).containsExactlyInAnyOrder("corp_id", "agent_id", "timestamp", "nonce_str", "signature");
        assertThat(agentConfig.get("corp_id").asString()).isEqualTo(corp.appid());
        assertThat(agentConfig.get("agent_id").asString()).isEqualTo("1000002");
        assertThat(agentConfig.get("signature").asString()).isEqualTo(expected(agentTicket, agentConfig, url));
        assertThat(simulator.callCount(corp.appid(), "/cgi-bin/get_jsapi_ticket")).isEqualTo(1);
        assertThat(simulator.callCount(corp.appid(), "/cgi-bin/ticket/get")).isEqualTo(1);

        Credential noAgent = fixture.wecom(tenant, "desk", "prod");
        CreatedClient deskClient = fixture.client(tenant, "desk/prod:jssdk");
        JsonNode withoutAgentId = sign(noAgent, deskClient.key(), url).get("agent_config");
        assertThat(fieldNames(withoutAgentId)).containsExactlyInAnyOrder("corp_id", "timestamp", "nonce_str", "signature");
        assertThat(simulator.callCount(noAgent.appid(), "/cgi-bin/get_jsapi_ticket")).isEqualTo(1);
        assertThat(simulator.callCount(noAgent.appid(), "/cgi-bin/ticket/get")).isEqualTo(1);
        get(ticketPath(corp) + "?type=jsapi", client.key()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "invalid-input").jsonPath("$.errors[0].field").isEqualTo("type");
    }

    @Test
    void aMiniProgramHasNoJssdk() {
        Credential mini = fixture.wechat(tenant, "mini", "prod");
        CreatedClient client = fixture.client(tenant, "mini/prod:token,jssdk");
        get(ticketPath(mini), client.key()).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "jssdk-not-supported");
        post(signaturePath(mini), client.key(), "{\"url\":\"https://a.example/\"}").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "jssdk-not-supported");
        assertThat(simulator.callCount(mini.appid(), "/cgi-bin/ticket/getticket")).isZero();
    }

    @Test
    void badUrlsAndBodiesAnswer400AndCallNobody() {
        Credential account = fixture.officialAccount(tenant, "h5", "prod");
        CreatedClient client = fixture.client(tenant, "h5/prod:jssdk");
        String tooLong = "https://a.example/?" + "q".repeat(PageUrl.MAX_LENGTH);
        for (String body : new String[] {"{\"url\":\"/relative\"}", "{\"url\":\"ftp://a.example/\"}",
                "{\"url\":\"https://a.example/a b\"}", "{\"url\":\"" + tooLong + "\"}", "{\"url\":\"\"}", "{}"}) {
            post(signaturePath(account), client.key(), body).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "invalid-input")
                    .jsonPath("$.errors[0].field").isEqualTo("url");
        }
        post(signaturePath(account), client.key(), "{\"url\":42}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "invalid-input");
        post(signaturePath(account), client.key(), "not json").expectStatus().isBadRequest();
        post(signaturePath(account), client.key(), "{\"url\":\"https://a.example/?" + "q".repeat(2_000_000) + "\"}")
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "payload-too-large");
        get(ticketPath(account) + "?type=agent_config", client.key()).expectStatus().isBadRequest();
        assertThat(simulator.callCount(account.appid(), "/cgi-bin/ticket/getticket")).isZero();
    }

    @Test
    void aKeyReachesOnlyItsGrantsAnd404InsideThem() {
        Credential account = fixture.officialAccount(tenant, "h5", "prod");
        fixture.officialAccount(tenant, "h5", "test");
        CreatedClient other = fixture.client(tenant, "h5/test:jssdk");
        CreatedClient tokenOnly = fixture.client(tenant, "h5/prod");
        CreatedClient everything = fixture.client(tenant, "*/*:jssdk");
        get(ticketPath(account), other.key()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "not-granted");
        post(signaturePath(account), other.key(), "{\"url\":\"https://a.example/\"}").expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "not-granted");
        get(ticketPath(account), tokenOnly.key()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "not-granted");
        post(signaturePath(account), tokenOnly.key(), "{\"url\":\"https://a.example/\"}").expectStatus().isForbidden();
        get(account.path(), tokenOnly.key()).expectStatus().isOk();
        get("/v1/tokens/" + tenant + "/h5/nope/jsapi-ticket", everything.key()).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo(PROBLEMS + "credential-not-found");
        post("/v1/jssdk/" + tenant + "/h5/nope/signature", everything.key(), "{\"url\":\"https://a.example/\"}")
                .expectStatus().isNotFound();
        http.get().uri(ticketPath(account)).exchange().expectStatus().isUnauthorized();
        assertThat(simulator.callCount(account.appid(), "/cgi-bin/ticket/getticket")).isZero();
    }

    @Test
    void theTokenFastPathLeavesTheTicketPathAlone() {
        Credential account = fixture.officialAccount(tenant, "h5", "prod");
        CreatedClient client = fixture.client(tenant, "h5/prod:token,jssdk");
        // a warm token in the near cache and a verified key: the fast path would answer a token read now
        get(account.path(), client.key()).expectStatus().isOk();
        get(account.path(), client.key()).expectStatus().isOk();
        JsonNode answer = JSON.readTree(get(ticketPath(account), client.key()).expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(answer.has("access_token")).isFalse();
        assertThat(answer.get("type").asString()).isEqualTo("jsapi");
    }

    private String expected(JsonNode ticket, JsonNode signed, String url) {
        return sha1("jsapi_ticket=" + ticket.get("ticket").asString() + "&noncestr=" + signed.get("nonce_str").asString()
                + "&timestamp=" + signed.get("timestamp").asLong() + "&url=" + url.substring(0, url.indexOf('#')));
    }

    private JsonNode ticket(Credential credential, String key, String query) {
        return JSON.readTree(get(ticketPath(credential) + query, key).expectStatus().isOk().expectBody().returnResult()
                .getResponseBody());
    }

    private JsonNode sign(Credential credential, String key, String url) {
        EntityExchangeResult<byte[]> result = post(signaturePath(credential), key, JSON.writeValueAsString(Map.of("url", url)))
                .expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody().returnResult();
        return JSON.readTree(result.getResponseBody());
    }

    private static String ticketPath(Credential credential) {
        return credential.path() + "/jsapi-ticket";
    }

    private static String signaturePath(Credential credential) {
        return "/v1/jssdk/" + credential.key().tenant() + "/" + credential.key().app() + "/" + credential.key().env() + "/signature";
    }

    private WebTestClient.ResponseSpec get(String path, String key) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange();
    }

    private WebTestClient.ResponseSpec post(String path, String key, String body) {
        return http.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
