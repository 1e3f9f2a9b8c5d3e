package dev.tokencenter.crypto;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.SecretReader;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenStateRows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static dev.tokencenter.admin.AdminApiTestSupport.wecomCorpId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Master key rotation end to end, each step a separate service instance on the same data: instance 1 (old key)
 * stores secrets and tokens; instance 2 ({@code k2} active, old key kept) re-wraps every row through the admin API;
 * instance 3 has only {@code k2} and still reads everything; instance 4 ({@code k3}, {@code k2}) moves every row by
 * its background pass. The data lives in a schema of its own, so "every row" means exactly the rows made here.
 */
class MasterKeyRotationTest {

    private static final String ADMIN = "rotation-admin";
    private static final String ADMIN_PASSWORD = "rotation-" + AdminApiTestSupport.hex(8);

    private static String schema;
    private static final Map<Long, String> secrets = new LinkedHashMap<>();
    private static final Map<Long, String> tokens = new LinkedHashMap<>();
    private static String k2;

    @BeforeAll
    static void storeSecretsWithTheOldKey() throws SQLException {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        schema = "rotation_" + AdminApiTestSupport.hex(4);
        try (Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.dbUser(),
                infrastructure.dbPassword()); Statement statement = connection.createStatement()) {
            statement.execute("create schema " + schema);
        }
        k2 = randomKey();
        try (ConfigurableApplicationContext old = start(infrastructure.masterKeys(), true)) {
            JdbcTemplate jdbc = old.getBean(JdbcTemplate.class);
            // ids far from those of the shared schema, so nothing keyed by environment id elsewhere collides
            jdbc.execute("alter table environment alter column id restart with " + (900_000_000L + new SecureRandom().nextInt(1_000_000)));
            old.getBean(TenantService.class).createTenant("test", "acme", "Acme");
            AppService apps = old.getBean(AppService.class);
            apps.createApp("test", "acme", "shop", "Shop", Platform.WECHAT_MINIPROGRAM);
            apps.createApp("test", "acme", "corp", "Corp", Platform.WECOM);
            EnvironmentService environments = old.getBean(EnvironmentService.class);
            for (String env : List.of("dev", "test", "prod", "broken")) {
                environments.putEnvironment("test", "acme", "shop", env,
                        EnvironmentSpec.of(wechatAppid(), secret(), env.equals("prod"), TokenMode.STABLE, false, null));
            }
            environments.putEnvironment("test", "acme", "corp", "prod",
                    EnvironmentSpec.of(wecomCorpId(), secret() + secret(), true, null, false, "1000002"));
            SecretReader reader = old.getBean(SecretReader.class);
            EnvelopeCipher cipher = old.getBean(EnvelopeCipher.class);
            for (Long id : jdbc.queryForList("select environment_id from credential order by 1", Long.class)) {
                secrets.put(id, reader.secretOf(id));
                if (tokens.size() < 3) {
                    String token = "TOKEN_" + secret();
                    long upstreamId = TokenStateRows.upstreamIdOf(jdbc, id);
                    Envelope sealed = cipher.seal(token, "token:" + upstreamId);
                    TokenStateRows.plantToken(jdbc, upstreamId, sealed.toBytes(), sealed.keyId());
                    tokens.put(upstreamId, token);
                }
            }
            long broken = jdbc.queryForObject("select id from environment where name = 'broken'", Long.class);
            jdbc.update("update credential set secret_envelope = overlay(secret_envelope placing '\\x00'::bytea"
                    + " from length(secret_envelope) for 1) where environment_id = ?", broken);
            secrets.remove(broken);
            assertThat(keyIds(jdbc)).containsOnly("test1");
        }
    }

    @Test
    void rotationRewrapsEveryRowAndTheOldKeyCanThenBeDropped() {
        String old = TestInfrastructure.get().masterKeys();
        try (ConfigurableApplicationContext rotating = start("k2:" + k2 + "," + old, false)) {
            JdbcTemplate jdbc = rotating.getBean(JdbcTemplate.class);
            WebTestClient http = AdminApiTestSupport.client(port(rotating));
            http.post().uri("/admin/api/keys/rewrap").headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD)).exchange()
                    .expectStatus().isOk().expectBody()
                    .jsonPath("$.active_key_id").isEqualTo("k2")
                    .jsonPath("$.credentials_rewrapped").isEqualTo(secrets.size())
                    .jsonPath("$.tokens_rewrapped").isEqualTo(tokens.size())
                    .jsonPath("$.failures.length()").isEqualTo(1)
                    .jsonPath("$.failures[0].row").value(row -> assertThat((String) row)
                            .startsWith("credential row of acme/shop/broken (credential:"))
                    .jsonPath("$.failures[0].problem").value(problem -> assertThat((String) problem).contains("tampered"))
                    .jsonPath("$.remaining.credential.test1").isEqualTo(1);
            http.get().uri("/admin/api/keys").headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD)).exchange()
                    .expectStatus().isOk().expectBody()
                    .jsonPath("$.active_key_id").isEqualTo("k2")
                    .jsonPath("$.key_ids").isEqualTo(List.of("k2", "test1"))
                    .jsonPath("$.remaining.credential.test1").isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'keys.rewrap' and actor = ?",
                    Integer.class, ADMIN)).isEqualTo(1);

            http.delete().uri("/admin/api/tenants/acme/apps/shop/envs/broken").headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                    .exchange().expectStatus().isNoContent();
            http.post().uri("/admin/api/keys/rewrap").headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD)).exchange()
                    .expectStatus().isOk().expectBody()
                    .jsonPath("$.credentials_rewrapped").isEqualTo(0)
                    .jsonPath("$.failures.length()").isEqualTo(0)
                    .jsonPath("$.remaining.credential").isEmpty()
                    .jsonPath("$.remaining.token_state").isEmpty();
            assertThat(keyIds(jdbc)).containsOnly("k2");
        }

        try (ConfigurableApplicationContext onlyNewKey = start("k2:" + k2, false)) {
            SecretReader reader = onlyNewKey.getBean(SecretReader.class);
            EnvelopeCipher cipher = onlyNewKey.getBean(EnvelopeCipher.class);
            JdbcTemplate jdbc = onlyNewKey.getBean(JdbcTemplate.class);
            assertThat(cipher.ring().keyIds()).containsExactly("k2");
            assertThat(jdbc.queryForObject("select count(*) from credential", Integer.class)).isEqualTo(secrets.size());
            secrets.forEach((id, secret) -> assertThat(reader.secretOf(id)).isEqualTo(secret));
            tokens.forEach((id, token) -> assertThat(cipher.open(Envelope.fromBytes(jdbc.queryForObject(
                    "select token_envelope from token_state where upstream_id = ?", byte[].class, id)), "token:" + id))
                    .isEqualTo(token));
        }

        try (ConfigurableApplicationContext background = start("k3:" + randomKey() + ",k2:" + k2, true)) {
            JdbcTemplate jdbc = background.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keyIds(jdbc)).containsOnly("k3"));
            SecretReader reader = background.getBean(SecretReader.class);
            secrets.forEach((id, secret) -> assertThat(reader.secretOf(id)).isEqualTo(secret));
        }
    }

    /** Every key id of every sealed row, from the columns and from the envelopes themselves. */
    private static List<String> keyIds(JdbcTemplate jdbc) {
        List<String> ids = new ArrayList<>();
        ids.addAll(jdbc.queryForList("select secret_key_id from credential", String.class));
        ids.addAll(jdbc.queryForList("select token_key_id from token_state where token_envelope is not null", String.class));
        jdbc.queryForList("select secret_envelope from credential", byte[].class)
                .forEach(bytes -> ids.add(Envelope.fromBytes(bytes).keyId()));
        jdbc.queryForList("select token_envelope from token_state where token_envelope is not null", byte[].class)
                .forEach(bytes -> ids.add(Envelope.fromBytes(bytes).keyId()));
        assertThat(ids).isNotEmpty();
        return ids;
    }

    private static ConfigurableApplicationContext start(String masterKeys, boolean backgroundRewrap) {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        Map<String, Object> properties = new LinkedHashMap<>(infrastructure.serviceProperties());
        String url = infrastructure.jdbcUrl();
        properties.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.jpa.properties.hibernate.default_schema", schema);
        properties.put("token-center.crypto.master-keys", masterKeys);
        properties.put("token-center.crypto.rewrap.enabled", backgroundRewrap);
        properties.put("token-center.crypto.rewrap.initial-delay", "0s");
        properties.put("token-center.crypto.rewrap.batch-size", 2);
        properties.put("token-center.admin.bootstrap-username", ADMIN);
        properties.put("token-center.admin.bootstrap-password", ADMIN_PASSWORD);
        properties.put("server.port", 0);
        return new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("rotation-test", properties)))
                .run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
