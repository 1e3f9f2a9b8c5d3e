package dev.tokencenter.token;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture.Credential;
import dev.tokencenter.support.TokenApiFixture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path answers only what the full chain would answer with 200, with the same body and headers, and hands
 * everything else to the chain.
 */
@IntegrationTest
class TokenReadFastPathTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    TokenReadFastPath fastPath;

    @Autowired
    ApiClientDirectory clients;

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

        // as below: the echo of the client's creation may empty the instance's memory once after the first read
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            get(shop.path(), client.key()).expectStatus().isOk();
            return !filter(shop.path(), client.key()).passedToChain();
        });
        Handled viaFastPath = filter(shop.path(), client.key());
        clients.evict(client.clientId());   // not in memory: the fast path passes the read on to the full chain
        EntityExchangeResult<byte[]> viaChain = get(shop.path(), client.key()).expectStatus().isOk().expectBody().returnResult();

        assertThat(viaFastPath.passedToChain()).isFalse();
        assertThat(viaFastPath.exchange().getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(viaFastPath.exchange().getResponse().getBodyAsString().block())
                .isEqualTo(new String(viaChain.getResponseBody()).replaceAll("\"expires_in\":\\d+", "\"expires_in\":" +
                        expiresIn(viaFastPath)));
        HttpHeaders chainHeaders = viaChain.getResponseHeaders();
        HttpHeaders fastHeaders = viaFastPath.exchange().getResponse().getHeaders();
        assertThat(fastHeaders.headerNames()).hasSameSizeAs(chainHeaders.headerNames());
        for (String name : chainHeaders.headerNames()) {
            if (!name.equalsIgnoreCase(HttpHeaders.CACHE_CONTROL) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                assertThat(fastHeaders.getOrEmpty(name)).as(name).isEqualTo(chainHeaders.getOrEmpty(name));
            }
        }
        assertThat(fastHeaders.getFirst(HttpHeaders.CACHE_CONTROL)).startsWith("private, max-age=");
    }

    @Test
    void leavesEverythingButAWarmGrantedReadToTheChain() {
        String tenant = fixture.tenant();
        Credential prod = fixture.wechat(tenant, "shop", "prod");
        Credential test = fixture.wechat(tenant, "shop", "test");
        CreatedClient client = fixture.client(tenant, "shop/test");
        // warm: a read through the chain fills the instance's memory (the echo of the client's creation on the
        // client-change topic may empty it once more, so read again until the fast path answers)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            get(test.path(), client.key()).expectStatus().isOk();
            return !filter(test.path(), client.key()).passedToChain();
        });
        assertThat(filter(prod.path(), client.key()).passedToChain()).as("not granted").isTrue();
        String key = client.key();
        String wrongKey = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertThat(filter(test.path(), wrongKey).passedToChain()).as("wrong key").isTrue();
        assertThat(filter(test.path() + "/", client.key()).passedToChain()).as("other path").isTrue();
        assertThat(filter("/v1/tokens/" + tenant + "/shop/missing", client.key()).passedToChain()).as("unknown").isTrue();

        fixture.revoke(tenant, client.clientId());
        Awaitility.await().atMost(Duration.ofSeconds(1))
                .until(() -> filter(test.path(), client.key()).passedToChain());
        get(test.path(), client.key()).expectStatus().isUnauthorized();
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

    private long expiresIn(Handled handled) {
        String body = handled.exchange().getResponse().getBodyAsString().block();
        var matcher = java.util.regex.Pattern.compile("\"expires_in\":(\\d+)").matcher(body);
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private Handled filter(String path, String key) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key));
        AtomicBoolean passed = new AtomicBoolean();
        WebFilterChain chain = ignored -> {
            passed.set(true);
            return Mono.empty();
        };
        fastPath.filter(exchange, chain).block(Duration.ofSeconds(5));
        return new Handled(exchange, passed.get());
    }

    private WebTestClient.ResponseSpec get(String path, String key) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange();
    }

    private record Handled(MockServerWebExchange exchange, boolean passedToChain) {
    }
}
