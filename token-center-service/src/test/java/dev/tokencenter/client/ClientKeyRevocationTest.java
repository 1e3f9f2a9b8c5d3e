package dev.tokencenter.client;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A revoked key stops working within one second on every instance, while its verification was cached on both. */
@IntegrationTest
class ClientKeyRevocationTest {

    private static ConfigurableApplicationContext secondInstance;

    @Autowired
    ApplicationContext context;

    @BeforeAll
    static void startSecondInstance() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.get().serviceProperties());
        properties.put("server.port", "0");
        secondInstance = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("second-instance", properties)))
                .run();
    }

    @AfterAll
    static void stopSecondInstance() {
        if (secondInstance != null) {
            secondInstance.close();
        }
    }

    @Test
    void clientChangesTravelOnAChannelOfThisRedisDatabaseOnly() {
        RedissonClient redisson = context.getBean(RedissonClient.class);
        int database = context.getBean(RedisProperties.class).database();
        Queue<String> scoped = new ConcurrentLinkedQueue<>();
        Queue<String> unscoped = new ConcurrentLinkedQueue<>();
        RTopic ours = redisson.getTopic("token-center:db" + database + ":api-client-changed", StringCodec.INSTANCE);
        RTopic global = redisson.getTopic("token-center:api-client-changed", StringCodec.INSTANCE);
        int ourListener = ours.addListener(String.class, (channel, id) -> scoped.add(id));
        int globalListener = global.addListener(String.class, (channel, id) -> unscoped.add(id));
        try {
            TokenApiFixture fixture = new TokenApiFixture(context);
            String tenant = fixture.tenant();
            fixture.wechat(tenant, "shop", "prod");
            CreatedClient client = fixture.client(tenant, "shop/prod");
            fixture.revoke(tenant, client.clientId());
            await().atMost(Duration.ofSeconds(5)).until(() -> scoped.contains(client.clientId()));
            assertThat(unscoped).isEmpty();
        } finally {
            ours.removeListener(ourListener);
            global.removeListener(globalListener);
        }
    }

    @Test
    void aRevokedKeyIsRefusedWithinOneSecondOnEveryInstance() {
        TokenApiFixture fixture = new TokenApiFixture(context);
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient revoked = fixture.client(tenant, "shop/prod");
        CreatedClient kept = fixture.client(tenant, "shop/prod");
        List<WebTestClient> instances = List.of(TokenApiFixture.http(context), TokenApiFixture.http(secondInstance));

        for (WebTestClient instance : instances) {
            for (int i = 0; i < 3; i++) {
                status(instance, shop, revoked.key()).isOk();
            }
        }

        long start = System.nanoTime();
        fixture.revoke(tenant, revoked.clientId());
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (WebTestClient instance : instances) {
                status(instance, shop, revoked.key()).isUnauthorized();
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        System.out.println("revocation effective on both instances after " + took.toMillis() + " ms");

        for (WebTestClient instance : instances) {
            status(instance, shop, revoked.key()).isUnauthorized();
            status(instance, shop, kept.key()).isOk();
        }
    }

    private static org.springframework.test.web.reactive.server.StatusAssertions status(WebTestClient http,
                                                                                         Credential credential, String key) {
        return http.get().uri(credential.path()).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus();
    }
}
