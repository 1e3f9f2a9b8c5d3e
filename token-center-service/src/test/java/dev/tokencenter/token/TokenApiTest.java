package dev.tokencenter.token;

import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The token API over HTTP on a real instance: shapes, the 401/403/404/429/503 matrix, tenant isolation, counters. */
@IntegrationTest
class TokenApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TOKEN_FIELDS =
            Set.of("access_token", "expires_in", "expires_at", "appid", "tenant", "app", "env");

    @Autowired
    ApplicationContext context;

    @Autowired
    TokenReadCounter reads;

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
    void servesTheCurrentTokenWithItsAddressAndABoundedCacheLifetime() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");

        EntityExchangeResult<byte[]> result = get(shop.path(), client.key()).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult();
        JsonNode body = JSON.readTree(result.getResponseBody());
        assertThat(fieldNames(body)).isEqualTo(TOKEN_FIELDS);
        String token = body.get("access_token").asString();
        assertThat(simulator.tokenValidity(token).valid()).isTrue();
        assertThat(body.get("appid").asString()).isEqualTo(shop.appid());
        assertThat(body.get("tenant").asString()).isEqualTo(tenant);
        assertThat(body.get("app").asString()).isEqualTo("shop");
        assertThat(body.get("env").asString()).isEqualTo("prod");
        Instant expiresAt = Instant.parse(body.get("expires_at").asString());
        long expiresIn = body.get("expires_in").asLong();
        assertThat(expiresIn).isBetween(61L, 7200L);
        assertThat(Duration.between(Instant.now(), expiresAt).toSeconds()).isBetween(expiresIn - 2, expiresIn + 2);

        String cacheControl = result.getResponseHeaders().getFirst(HttpHeaders.CACHE_CONTROL);
        Matcher maxAge = Pattern.compile("private, max-age=(\\d+)").matcher(cacheControl);
        assertThat(maxAge.matches()).as(cacheControl).isTrue();
        long age = Long.parseLong(maxAge.group(1));
        assertThat(age).isLessThanOrEqualTo(300).isLessThanOrEqualTo(expiresIn - 60).isPositive();

        String raw = new String(result.getResponseBody());
        assertThat(raw).doesNotContain(shop.secret());
    }

    @Test
    void withoutAKeyOrWithABadOneAnswers401WithBearerChallenge() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String wrongSecret = client.key().substring(0, client.key().length() - 4) + "AAAA";
        String unknownClient = "tck_c0123456789abcdef_" + "A".repeat(43);

        http.get().uri(shop.path()).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"token-center\"")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/missing-client-key")
                .jsonPath("$.status").isEqualTo(401);
        for (String bad : new String[] {"not-a-key", wrongSecret.equals(client.key()) ? wrongSecret + "x" : wrongSecret,
                unknownClient}) {
            get(shop.path(), bad).expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer realm=\"token-center\", error=\"invalid_token\"")
                    .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-client-key");
        }
        http.get().uri(shop.path()).headers(h -> h.setBasicAuth("admin", "admin")).exchange()
                .expectStatus().isUnauthorized();
        http.post().uri(shop.path() + "/invalidate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("access_token", "x")).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aKeyReachesOnlyItsGrantsAndAnswers403OtherwiseAnd404InsideThem() {
        String tenant = fixture.tenant();
        Credential shopTest = fixture.wechat(tenant, "shop", "test");
        Credential shopProd = fixture.wechat(tenant, "shop", "prod");
        Credential crmProd = fixture.wechat(tenant, "crm", "prod");
        CreatedClient testOnly = fixture.client(tenant, "shop/test");
        CreatedClient everyTest = fixture.client(tenant, "*/test");
        CreatedClient allOfShop = fixture.client(tenant, "shop/*");
        CreatedClient everything = fixture.client(tenant, "*/*");

        get(shopTest.path(), testOnly.key()).expectStatus().isOk();
        get(shopProd.path(), testOnly.key()).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/not-granted");
        get(crmProd.path(), testOnly.key()).expectStatus().isForbidden();
        post(shopProd.path() + "/invalidate", testOnly.key(), "anything").expectStatus().isForbidden();

        get(shopTest.path(), everyTest.key()).expectStatus().isOk();
        get(shopProd.path(), everyTest.key()).expectStatus().isForbidden();
        get(shopProd.path(), allOfShop.key()).expectStatus().isOk();
        get(crmProd.path(), allOfShop.key()).expectStatus().isForbidden();
        get(crmProd.path(), everything.key()).expectStatus().isOk();

        // 404 only inside what the key may see
        get("/v1/tokens/" + tenant + "/nope/prod", everything.key()).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/credential-not-found");
        get("/v1/tokens/" + tenant + "/shop/staging", allOfShop.key()).expectStatus().isNotFound();
        get("/v1/tokens/" + tenant + "/nope/prod", testOnly.key()).expectStatus().isForbidden();
    }

    @Test
    void aClientOfOneTenantGetsNothingOfAnotherAndCannotTellWhatExists() {
        String tenantA = fixture.tenant();
        String tenantB = fixture.tenant();
        fixture.wechat(tenantA, "shop", "prod");
        Credential bShop = fixture.wechat(tenantB, "shop", "prod");
        CreatedClient clientOfA = fixture.client(tenantA, "*/*");

        byte[] existing = get(bShop.path(), clientOfA.key()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/not-granted")
                .returnResult().getResponseBody();
        get("/v1/tokens/" + tenantB + "/ghost/prod", clientOfA.key()).expectStatus().isForbidden();
        get("/v1/tokens/no-such-tenant-" + TokenApiFixture.hex(3) + "/shop/prod", clientOfA.key()).expectStatus().isForbidden();
        post(bShop.path() + "/invalidate", clientOfA.key(), "x").expectStatus().isForbidden();
        assertThat(new String(existing)).doesNotContain(bShop.appid());
    }

    @Test
    void invalidateRefreshesARejectedTokenAndIsRateLimitedPerClient() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        String first = token(get(shop.path(), client.key()));

        simulator.invalidateToken(first);
        JsonNode renewed = JSON.readTree(post(shop.path() + "/invalidate", client.key(), first).expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        Set<String> reportFields = new java.util.HashSet<>(TOKEN_FIELDS);
        reportFields.add("report");
        assertThat(fieldNames(renewed)).isEqualTo(reportFields);
        assertThat(renewed.get("report").asString()).isEqualTo("replaced");
        String second = renewed.get("access_token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(simulator.tokenValidity(second).valid()).isTrue();
        assertThat(token(get(shop.path(), client.key()))).isEqualTo(second);

        // a token that is no longer current changes nothing
        assertThat(token(post(shop.path() + "/invalidate", client.key(), first))).isEqualTo(second);

        // default limit: 10 per minute per client; 2 used above
        for (int i = 0; i < 8; i++) {
            post(shop.path() + "/invalidate", client.key(), first).expectStatus().isOk();
        }
        post(shop.path() + "/invalidate", client.key(), first).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 60L))
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/rate-limited")
                .jsonPath("$.status").isEqualTo(429);
        // another client of the same credential is not affected
        CreatedClient other = fixture.client(tenant, "shop/prod");
        post(shop.path() + "/invalidate", other.key(), first).expectStatus().isOk();
    }

    @Test
    void invalidateWithoutATokenIs400() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        http.post().uri(shop.path() + "/invalidate").header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-request");
        http.post().uri(shop.path() + "/invalidate").header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{not json").exchange()
                .expectStatus().isBadRequest();
        // no coercion: a number is not a token, and neither is an unknown field
        for (String json : new String[] {"{\"access_token\": 86}", "{\"access_token\": [\"86_x\"]}",
                "{\"access_token\": \"86_x\", \"reason\": 40001}"}) {
            http.post().uri(shop.path() + "/invalidate").header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-request")
                    .jsonPath("$.errors[0].field").value(field -> assertThat(field).isIn("access_token", "reason"));
        }
    }

    @Test
    void aDisabledOrStoppedCredentialWithoutUsableTokenAnswers503WithRetryAfter() {
        String tenant = fixture.tenant();
        Credential disabled = fixture.wechat(tenant, "shop", "prod");
        Credential stopped = fixture.wechatWithWrongSecret(tenant, "crm", "prod");
        CreatedClient client = fixture.client(tenant, "*/*");
        fixture.disable(disabled);

        for (Credential credential : new Credential[] {disabled, stopped}) {
            get(credential.path(), client.key()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isPositive())
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/token-unavailable")
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).doesNotContain(credential.secret()));
        }
    }

    @Test
    void aDisabledCredentialsDecryptedTokenLeavesTheInstancesMemory() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        get(shop.path(), client.key()).expectStatus().isOk();
        long upstreamId = context.getBean(CredentialCatalog.class).find(shop.key()).orElseThrow().upstreamId();
        CachedTokenSource tokens = context.getBean(CachedTokenSource.class);
        assertThat(tokens.holdsInMemory(upstreamId)).isTrue();

        fixture.disable(shop);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !tokens.holdsInMemory(upstreamId));
        get(shop.path(), client.key()).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void tokenReadsAreCountedPerClientAndCredentialInRedis() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        for (int i = 0; i < 5; i++) {
            get(shop.path(), client.key()).expectStatus().isOk();
        }
        reads.flush();
        String field = shop.key() + "|" + client.clientId();
        assertThat(reads.allTime()).containsEntry(field, 5L);
        assertThat(reads.onDay(java.time.LocalDate.now(java.time.ZoneOffset.UTC))).containsEntry(field, 5L);
    }

    @Test
    void everyEndpointIsInTheOpenApiDocument() {
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/v1/tokens/{tenant}/{app}/{env}'].get.operationId").isEqualTo("getToken")
                .jsonPath("$.paths['/v1/tokens/{tenant}/{app}/{env}/invalidate'].post.operationId").isEqualTo("invalidateToken")
                .jsonPath("$.paths['/cgi-bin/token'].get.operationId").isEqualTo("wechatToken")
                .jsonPath("$.paths['/cgi-bin/stable_token'].post.operationId").isEqualTo("wechatStableToken")
                .jsonPath("$.paths['/cgi-bin/gettoken'].get.operationId").isEqualTo("wecomToken")
                .jsonPath("$.components.securitySchemes.clientKey.scheme").isEqualTo("bearer");
    }

    private WebTestClient.ResponseSpec get(String path, String key) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange();
    }

    private WebTestClient.ResponseSpec post(String path, String key, String rejectedToken) {
        return http.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("access_token", rejectedToken)).exchange();
    }

    private static String token(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectStatus().isOk().expectBody().returnResult().getResponseBody())
                .get("access_token").asString();
    }

    static Set<String> fieldNames(JsonNode node) {
        return Set.copyOf(node.propertyNames());
    }
}
