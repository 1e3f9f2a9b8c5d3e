package dev.tokencenter.token;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture.Credential;
import dev.tokencenter.support.TokenApiFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path (through the event-loop route ahead of WebFlux) answers, over real HTTP, only what the full chain
 * would answer with 200, with the same status, headers and body, and hands everything else to the chain.
 */
@IntegrationTest
class TokenReadFastPathTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    TokenReadFastPath fastPath;

    @Autowired
    ApiClientDirectory clients;

    @Autowired
    MeterRegistry meters;

    TokenApiFixture fixture;
    WebTestClient http;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        http = TokenApiFixture.http(context);
    }

    @Test
    void answersAWarmGrantedReadExactlyAsTheFullChainDoes() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/*");
        warm(shop.path(), client.key());
        Timer timer = meters.get("tokencenter.api.requests").tag("route", "/v1/tokens/{tenant}/{app}/{env}")
                .tag("status", "200").timer();
        long timed = timer.count();

        Answered viaFastPath = get(shop.path(), client.key());
        clients.evict(client.clientId());   // not in memory: the fast path passes the read on to the full chain
        Answered viaChain = get(shop.path(), client.key());

        assertThat(viaFastPath.byFastPath()).isTrue();
        assertThat(viaChain.byFastPath()).isFalse();
        assertThat(viaFastPath.result().getStatus()).isEqualTo(viaChain.result().getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(withoutCountdown(viaFastPath)).isEqualTo(withoutCountdown(viaChain));
        HttpHeaders chainHeaders = viaChain.result().getResponseHeaders();
        HttpHeaders fastHeaders = viaFastPath.result().getResponseHeaders();
        assertThat(fastHeaders.headerNames()).containsExactlyElementsOf(chainHeaders.headerNames());
        for (String name : chainHeaders.headerNames()) {
            if (!name.equalsIgnoreCase(HttpHeaders.CACHE_CONTROL) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                assertThat(fastHeaders.getOrEmpty(name)).as(name).isEqualTo(chainHeaders.getOrEmpty(name));
            }
        }
        assertThat(fastHeaders.getFirst(HttpHeaders.CACHE_CONTROL)).matches("private, max-age=\\d+");
        assertThat(fastHeaders.getContentLength()).isEqualTo(viaFastPath.result().getResponseBody().length);
        // both timed under the route template, the fast answer too
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> timer.count() - timed == 2);
    }

    @Test
    void answersANewTokenAtOnceThoughItKeepsBodies() {
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod");
        warm(shop.path(), client.key());
        Answered before = get(shop.path(), client.key());
        String first = token(before);
        assertThat(before.byFastPath()).isTrue();

        // WeChat rejects the token, a client reports it: the center refreshes, and the next read has the new one
        TestInfrastructure.get().simulator().invalidateToken(first);
        http.post().uri(shop.path() + "/invalidate").header(HttpHeaders.AUTHORIZATION, "Bearer " + client.key())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"access_token\":\"" + first + "\"}")
                .exchange().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> get(shop.path(), client.key()).byFastPath());
        Answered after = get(shop.path(), client.key());

        assertThat(after.byFastPath()).isTrue();
        assertThat(token(after)).isNotEqualTo(first);
        assertThat(TestInfrastructure.get().simulator().tokenValidity(token(after)).valid()).isTrue();
    }

    @Test
    void leavesEverythingButAWarmGrantedReadToTheChain() {
        String tenant = fixture.tenant();
        Credential prod = fixture.wechat(tenant, "shop", "prod");
        Credential test = fixture.wechat(tenant, "shop", "test");
        CreatedClient client = fixture.client(tenant, "shop/test");
        warm(test.path(), client.key());
        assertThat(get(test.path() + "?trace=1", client.key()).byFastPath()).as("a query WebFlux reads too").isTrue();

        assertThat(status(get(prod.path(), client.key()))).as("not granted").isEqualTo(403);
        String key = client.key();
        String wrongKey = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertThat(status(get(test.path(), wrongKey))).as("wrong key").isEqualTo(401);
        assertThat(status(get(test.path() + "/", client.key()))).as("other path").isEqualTo(404);
        assertThat(status(get("/v1/tokens/" + tenant + "/shop/missing", client.key()))).as("unknown, not granted").isEqualTo(403);
        Answered basic = call(() -> http.get().uri(test.path()).header(HttpHeaders.AUTHORIZATION, "Basic " + key).exchange());
        assertThat(basic.byFastPath()).as("not a bearer key").isFalse();

        fixture.revoke(tenant, client.clientId());
        Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> status(get(test.path(), client.key())) == 401);
    }

    @Test
    void parsesOnlyPlainSlugAddresses() {
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/a/b/c")).isEqualTo(new CredentialKey("a", "b", "c"));
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/a/b")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/a/b/c/invalidate")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/a/%62/c")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens/A/b/c")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v1/tokens//b/c")).isNull();
        assertThat(TokenReadFastPath.credentialOf("/v2/tokens/a/b/c")).isNull();
    }

    /** Client and token in this instance's memory, as after any earlier read. */
    private void warm(String path, String key) {
        // the echo of the client's creation on the client-change topic may empty the instance's memory once more
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(100))
                .until(() -> status(get(path, key)) == 200 && get(path, key).byFastPath());
    }

    private Answered get(String path, String key) {
        return call(() -> http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange());
    }

    private Answered call(Supplier<WebTestClient.ResponseSpec> request) {
        long before = fastPath.answered();
        EntityExchangeResult<byte[]> result = request.get().expectBody().returnResult();
        return new Answered(result, fastPath.answered() - before == 1);
    }

    /** Answers that are not by the fast path: asserted so, as every answer but a 200 must come from the chain. */
    private static int status(Answered answered) {
        int status = answered.result().getStatus().value();
        if (status != 200) {
            assertThat(answered.byFastPath()).as("a %d by the fast path", status).isFalse();
        }
        return status;
    }

    private static String token(Answered answered) {
        var matcher = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"")
                .matcher(new String(answered.result().getResponseBody(), StandardCharsets.UTF_8));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String withoutCountdown(Answered answered) {
        return new String(answered.result().getResponseBody(), StandardCharsets.UTF_8)
                .replaceAll("\"expires_in\":\\d+", "\"expires_in\":N");
    }

    private record Answered(EntityExchangeResult<byte[]> result, boolean byFastPath) {
    }
}
