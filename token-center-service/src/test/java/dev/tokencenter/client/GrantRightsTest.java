package dev.tokencenter.client;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Rights on grants through the admin API and the token API; grants made before rights keep token reads only. */
@IntegrationTest
class GrantRightsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    WebTestClient admin;
    WebTestClient api;
    Login operator;
    TokenApiFixture fixture;
    String tenant;
    Credential shop;

    @BeforeEach
    void setUp() {
        admin = AdminApiTestSupport.client(port);
        api = TokenApiFixture.http(context);
        operator = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        fixture = new TokenApiFixture(context);
        tenant = fixture.tenant();
        shop = fixture.wechat(tenant, "shop", "prod");
    }

    @Test
    void aGrantWithoutRightsReadsTokensAndAGrantWithoutTheTokenRightDoesNot() {
        JsonNode plain = createClient(List.of(Map.of("app", "shop", "env", "prod")), 201);
        JsonNode sessionsOnly = createClient(List.of(Map.of("app", "shop", "env", "*", "rights", List.of("session"))), 201);
        JsonNode both = createClient(List.of(Map.of("app", "*", "env", "prod", "rights", List.of("jssdk", "token"))), 201);

        readToken(plain.path("key").asString()).expectStatus().isOk();
        readToken(sessionsOnly.path("key").asString()).expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").value(type -> assertThat((String) type).endsWith("/not-granted"));
        readToken(both.path("key").asString()).expectStatus().isOk();

        JsonNode listed = JSON.readTree(admin.get().uri(clients()).headers(operator.basic()).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(rightsOf(listed, plain)).isEqualTo("[\"token\"]");
        assertThat(rightsOf(listed, sessionsOnly)).isEqualTo("[\"session\"]");
        assertThat(rightsOf(listed, both)).as("kept in one order").isEqualTo("[\"token\",\"jssdk\"]");
    }

    @Test
    void unknownEmptyOrRepeatedRightsAndRepeatedPairsAreRefusedAndCreateNothing() {
        assertRefused(List.of(Map.of("app", "shop", "env", "prod", "rights", List.of("token", "login"))),
                "grants[0].rights[1]");
        assertRefused(List.of(Map.of("app", "shop", "env", "prod", "rights", List.of())), "grants[0].rights");
        assertRefused(List.of(Map.of("app", "shop", "env", "prod", "rights", List.of("session", "session"))),
                "grants[0].rights[1]");
        assertRefused(List.of(Map.of("app", "shop", "env", "prod"), Map.of("app", "shop", "env", "prod",
                "rights", List.of("session"))), "grants[1]");
        assertRefused(List.of(Map.of("app", "shop", "env", "prod", "rights", "token")), "grants[0].rights");

        assertThat(jdbc.queryForObject("select count(*) from api_client where tenant_id = ?", Long.class, tenant))
                .isZero();
    }

    @Test
    void grantsMadeBeforeRightsExistedKeepTokenReadsOnly() {
        String schema = "grants_" + AdminApiTestSupport.hex(4);
        Flyway before = flyway(schema, "3");
        try {
            before.migrate();
            JdbcTemplate old = new JdbcTemplate(dataSource);
            old.update("insert into " + schema + ".tenant (id, name) values ('t', 'T')");
            old.update("insert into " + schema + ".api_client (id, tenant_id, name, key_hash) values ('c1', 't', 'svc', 'h')");
            old.update("insert into " + schema + ".api_client_grant (client_id, app_slug, env_name) values ('c1', 'shop', '*')");

            flyway(schema, "latest").migrate();

            assertThat(old.queryForObject("select array_to_string(rights, ',') from " + schema
                    + ".api_client_grant where client_id = 'c1'", String.class)).isEqualTo("token");
        } finally {
            new JdbcTemplate(dataSource).execute("drop schema if exists " + schema + " cascade");
        }
    }

    private Flyway flyway(String schema, String target) {
        return Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/migration").target(target).load();
    }

    private void assertRefused(List<Map<String, Object>> grants, String field) {
        JsonNode problem = JSON.readTree(admin.post().uri(clients()).headers(operator.basic())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "svc", "grants", grants))
                .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBody());
        assertThat(problem.path("errors").toString()).as(grants.toString()).contains("\"" + field + "\"");
    }

    private JsonNode createClient(List<Map<String, Object>> grants, int status) {
        return JSON.readTree(admin.post().uri(clients()).headers(operator.basic())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "svc", "grants", grants))
                .exchange().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody());
    }

    private static String rightsOf(JsonNode listed, JsonNode created) {
        for (JsonNode client : listed) {
            if (client.path("client_id").asString().equals(created.path("client_id").asString())) {
                return client.path("grants").get(0).path("rights").toString();
            }
        }
        throw new AssertionError("client not listed");
    }

    private WebTestClient.ResponseSpec readToken(String key) {
        return api.get().uri(shop.path()).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange();
    }

    private String clients() {
        return "/admin/api/tenants/" + tenant + "/clients";
    }
}
