package dev.tokencenter.miniprogram;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.miniprogram.MiniProgramApi.Answer;
import dev.tokencenter.simulator.EncryptedPayload;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code token-center.miniprogram.*} settings at work, on an instance of their own: a short session lifetime, low
 * per-client limits and a maximum watermark age.
 */
class MiniProgramSettingsTest {

    private static final Duration LIFETIME = Duration.ofSeconds(3);
    private static ConfigurableApplicationContext instance;

    TokenApiFixture fixture;
    MiniProgramApi api;
    WechatSimulator simulator;
    Credential mini;
    CreatedClient client;

    @BeforeAll
    static void startInstance() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.get().serviceProperties());
        properties.put("server.port", "0");
        properties.put("token-center.miniprogram.session-lifetime", LIFETIME.toSeconds() + "s");
        properties.put("token-center.miniprogram.sessions-per-minute", "3");
        properties.put("token-center.miniprogram.decryptions-per-minute", "3");
        properties.put("token-center.miniprogram.watermark-max-age", "10m");
        instance = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("miniprogram-settings", properties)))
                .run();
    }

    @AfterAll
    static void stopInstance() {
        if (instance != null) {
            instance.close();
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(instance);
        api = new MiniProgramApi(TokenApiFixture.http(instance));
        simulator = TestInfrastructure.get().simulator();
        String tenant = fixture.tenant();
        mini = fixture.wechat(tenant, "mini", "prod");
        client = fixture.client(tenant, "mini/prod:session");
    }

    @Test
    void aSessionEndsWithItsLifetime() {
        String openid = "o" + TokenApiFixture.hex(10);
        Answer created = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201);
        String session = created.text("session_id");
        assertThat(Duration.between(Instant.now(), Instant.parse(created.text("expires_at"))))
                .isLessThanOrEqualTo(LIFETIME);
        long ttl = instance.getBean(RedissonClient.class).getBucket(RedisSessionStore.SESSION_PREFIX + session)
                .remainTimeToLive();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(LIFETIME.toMillis());
        api.check(mini, client.key(), session).expect(200);

        await().atMost(LIFETIME.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.check(mini, client.key(), session).status() == 404);
        api.check(mini, client.key(), session).problem(404, "unknown-session");
        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));
        api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).problem(404, "unknown-session");
    }

    @Test
    void loginsAndDecryptionsAreLimitedPerClientBeforeAnythingReachesWechat() {
        String openid = "o" + TokenApiFixture.hex(10);
        String session = null;
        for (int i = 0; i < 3; i++) {
            session = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                    .expect(201).text("session_id");
        }
        long calls = simulator.callCount(mini.appid(), "/sns/jscode2session");
        // another user: a login minted for the first would replace that user's session_key at WeChat
        Answer refused = api.login(mini, client.key(),
                simulator.mintLoginCode(mini.appid(), "o" + TokenApiFixture.hex(10), null).code()).problem(429, "rate-limited");
        assertThat(Long.parseLong(refused.headers().getFirst("Retry-After"))).isBetween(1L, 20L);
        assertThat(simulator.callCount(mini.appid(), "/sns/jscode2session")).isEqualTo(calls);
        // another client has its own budget
        CreatedClient other = fixture.client(mini.key().tenant(), "mini/prod:session");
        api.login(mini, other.key(), simulator.mintLoginCode(mini.appid(), "o" + TokenApiFixture.hex(10), null).code())
                .expect(201);

        EncryptedPayload data = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));
        for (int i = 0; i < 3; i++) {
            api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv()).expect(200);
        }
        assertThat(Long.parseLong(api.decrypt(mini, client.key(), session, data.encryptedData(), data.iv())
                .problem(429, "rate-limited").headers().getFirst("Retry-After"))).isBetween(1L, 20L);
    }

    @Test
    void dataWithAWatermarkOlderThanTheMaximumAgeIsRefused() {
        String openid = "o" + TokenApiFixture.hex(10);
        String session = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201).text("session_id");
        long anHourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
        EncryptedPayload old = simulator.encryptForUser(mini.appid(), openid,
                Map.of("watermark", Map.of("appid", mini.appid(), "timestamp", anHourAgo)));
        EncryptedPayload fresh = simulator.encryptForUser(mini.appid(), openid, Map.of("nickName", "Band"));

        api.decrypt(mini, client.key(), session, old.encryptedData(), old.iv()).problem(400, "watermark-too-old");
        api.decrypt(mini, client.key(), session, fresh.encryptedData(), fresh.iv()).expect(200);
    }
}
