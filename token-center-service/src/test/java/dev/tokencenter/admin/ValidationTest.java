package dev.tokencenter.admin;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static dev.tokencenter.admin.AdminApiTestSupport.wecomCorpId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each validation rule answers 400 with a problem detail naming the field, and nothing is written. */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    Login admin;
    String tenant;

    @BeforeAll
    void fixture() {
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        tenant = slug("valid");
        context.getBean(TenantService.class).createTenant("test", tenant, "Validation");
        AppService apps = context.getBean(AppService.class);
        apps.createApp("test", tenant, "mini", "Mini", Platform.WECHAT_MINIPROGRAM);
        apps.createApp("test", tenant, "corp", "Corp", Platform.WECOM);
        EnvironmentService environments = context.getBean(EnvironmentService.class);
        environments.putEnvironment("test", tenant, "mini", "prod",
                EnvironmentSpec.of(wechatAppid(), secret(), true, TokenMode.STABLE, false, null));
        environments.putEnvironment("test", tenant, "corp", "prod",
                EnvironmentSpec.of(wecomCorpId(), secret(), true, null, false, "1000002"));
    }

    Stream<Arguments> rules() {
        String t = "/admin/api/tenants/" + tenant;
        String mini = t + "/apps/mini/envs/";
        String corp = t + "/apps/corp/envs/";
        String appid = wechatAppid();
        String ok = secret();
        return Stream.of(
                arguments("tenant id not a slug", HttpMethod.POST, "/admin/api/tenants", body("id", "Bad_Slug", "name", "x"), "id"),
                arguments("tenant id starting with '-'", HttpMethod.POST, "/admin/api/tenants", body("id", "-x", "name", "x"), "id"),
                arguments("tenant id of 64 characters", HttpMethod.POST, "/admin/api/tenants", body("id", "a".repeat(64), "name", "x"), "id"),
                arguments("tenant id missing", HttpMethod.POST, "/admin/api/tenants", body("name", "x"), "id"),
                arguments("tenant name blank", HttpMethod.POST, "/admin/api/tenants", body("id", slug("t"), "name", "  "), "name"),
                arguments("tenant name too long", HttpMethod.POST, "/admin/api/tenants", body("id", slug("t"), "name", "n".repeat(201)), "name"),
                arguments("tenant name with a NUL character", HttpMethod.POST, "/admin/api/tenants", body("id", slug("t"), "name", "a\u0000b"), "name"),
                arguments("client name with a line break", HttpMethod.POST, t + "/clients", body("name", "svc\nx", "grants", List.of(grant("*", "*"))), "name"),
                arguments("app id not a slug", HttpMethod.POST, t + "/apps", body("id", "Shop", "name", "x", "platform", "WECOM"), "id"),
                arguments("app name missing", HttpMethod.POST, t + "/apps", body("id", "shop", "platform", "WECOM"), "name"),
                arguments("app platform missing", HttpMethod.POST, t + "/apps", body("id", "shop", "name", "x"), "platform"),
                arguments("app platform unknown", HttpMethod.POST, t + "/apps", body("id", "shop", "name", "x", "platform", "WECHAT"), "platform"),
                arguments("env name not a slug", HttpMethod.PUT, mini + "Test_Env", body("appid", appid, "secret", ok), "env"),
                arguments("appid missing", HttpMethod.PUT, mini + "new", body("secret", ok), "appid"),
                arguments("appid too short", HttpMethod.PUT, mini + "new", body("appid", "wx123", "secret", ok), "appid"),
                arguments("appid upper-case hex", HttpMethod.PUT, mini + "new", body("appid", "wxABCDEF0123456789", "secret", ok), "appid"),
                arguments("appid of 17 hex characters", HttpMethod.PUT, mini + "new", body("appid", appid + "a", "secret", ok), "appid"),
                arguments("WeCom corp id for a WeChat app", HttpMethod.PUT, mini + "new", body("appid", wecomCorpId(), "secret", ok), "appid"),
                arguments("WeChat AppID for a WeCom app", HttpMethod.PUT, corp + "new", body("appid", appid, "secret", ok), "appid"),
                arguments("secret missing", HttpMethod.PUT, mini + "new", body("appid", appid), "secret"),
                arguments("secret empty", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", ""), "secret"),
                arguments("secret of 129 characters", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", "s".repeat(129)), "secret"),
                arguments("secret with surrounding space", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", " " + ok), "secret"),
                arguments("secret with a control character", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", ok + "\n"), "secret"),
                arguments("token mode unknown", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", ok, "token_mode", "FAST"), "token_mode"),
                arguments("token mode for WeCom", HttpMethod.PUT, corp + "new", body("appid", wecomCorpId(), "secret", ok, "token_mode", "STABLE"), "token_mode"),
                arguments("agent id for WeChat", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", ok, "agent_id", "1000002"), "agent_id"),
                arguments("agent id not numeric", HttpMethod.PUT, corp + "new", body("appid", wecomCorpId(), "secret", ok, "agent_id", "abc"), "agent_id"),
                arguments("production not a boolean", HttpMethod.PUT, mini + "new", body("appid", appid, "secret", ok, "production", "perhaps"), "production"),
                arguments("new appid without a secret", HttpMethod.PUT, mini + "prod", body("appid", appid), "secret"),
                arguments("update with a too long secret", HttpMethod.PUT, mini + "prod", body("secret", "s".repeat(129)), "secret"),
                arguments("enabled not a boolean", HttpMethod.PUT, mini + "prod", body("enabled", "no"), "enabled"),
                arguments("rotation without a secret", HttpMethod.POST, mini + "prod/secret", body(), "secret"),
                arguments("rotation with an empty secret", HttpMethod.POST, mini + "prod/secret", body("secret", ""), "secret"),
                arguments("rotation with a too long secret", HttpMethod.POST, mini + "prod/secret", body("secret", "s".repeat(129)), "secret"),
                arguments("client name blank", HttpMethod.POST, t + "/clients", body("name", "", "grants", List.of(grant("*", "*"))), "name"),
                arguments("client grants missing", HttpMethod.POST, t + "/clients", body("name", "svc"), "grants"),
                arguments("client grants empty", HttpMethod.POST, t + "/clients", body("name", "svc", "grants", List.of()), "grants"),
                arguments("grant app not a slug", HttpMethod.POST, t + "/clients", body("name", "svc", "grants", List.of(grant("Bad!", "*"))), "grants[0].app"),
                arguments("grant env missing", HttpMethod.POST, t + "/clients", body("name", "svc", "grants", List.of(body("app", "mini"))), "grants[0].env"),
                arguments("grant of an unknown app", HttpMethod.POST, t + "/clients", body("name", "svc", "grants", List.of(grant("mini", "*"), grant("nope", "*"))), "grants[1].app"),
                arguments("grant of an unknown env", HttpMethod.POST, t + "/clients", body("name", "svc", "grants", List.of(grant("mini", "nope"))), "grants[0].env"),
                arguments("admin username not allowed", HttpMethod.POST, "/admin/api/admin-users", body("username", "Bad Name", "password", "p".repeat(12), "role", "VIEWER"), "username"),
                arguments("admin password too short", HttpMethod.POST, "/admin/api/admin-users", body("username", slug("u"), "password", "short", "role", "VIEWER"), "password"),
                arguments("admin password too long", HttpMethod.POST, "/admin/api/admin-users", body("username", slug("u"), "password", "p".repeat(129), "role", "VIEWER"), "password"),
                arguments("admin role unknown", HttpMethod.POST, "/admin/api/admin-users", body("username", slug("u"), "password", "p".repeat(12), "role", "ROOT"), "role"),
                arguments("audit since not an instant", HttpMethod.GET, "/admin/api/audit?since=yesterday", null, "since"),
                arguments("audit page negative", HttpMethod.GET, "/admin/api/audit?page=-1", null, "page"),
                arguments("audit size zero", HttpMethod.GET, "/admin/api/audit?size=0", null, "size"),
                arguments("audit tenant not a slug", HttpMethod.GET, "/admin/api/audit?tenant=Bad_T", null, "tenant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleAnswers400NamingTheFieldAndChangesNothing(String rule, HttpMethod method, String path, Map<String, Object> body,
                                                       String field) {
        String before = state();

        send(method, path, body)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-input")
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(field))
                .jsonPath("$.errors[?(@.field == '" + field + "')].message").isNotEmpty();

        assertThat(state()).isEqualTo(before);
    }

    /** JSON of the wrong shape: no coercion between strings, numbers and booleans, no unknown or repeated fields. */
    Stream<Arguments> wrongJson() {
        String t = "/admin/api/tenants/" + tenant;
        String env = t + "/apps/mini/envs/prod";
        String corp = t + "/apps/corp/envs/prod";
        return Stream.of(
                arguments("huge number as tenant id", HttpMethod.POST, "/admin/api/tenants", "{\"id\": 1e999999, \"name\": \"x\"}", "id"),
                arguments("integer as tenant id", HttpMethod.POST, "/admin/api/tenants", "{\"id\": 42, \"name\": \"x\"}", "id"),
                arguments("boolean as tenant name", HttpMethod.POST, "/admin/api/tenants", "{\"id\": \"t-bool\", \"name\": true}", "name"),
                arguments("array as tenant id", HttpMethod.POST, "/admin/api/tenants", "{\"id\": [\"t-arr\"], \"name\": \"x\"}", "id"),
                arguments("object as tenant name", HttpMethod.POST, "/admin/api/tenants", "{\"id\": \"t-obj\", \"name\": {}}", "name"),
                arguments("unknown field", HttpMethod.POST, "/admin/api/tenants", "{\"id\": \"t-extra\", \"name\": \"x\", \"owner\": \"me\"}", "owner"),
                arguments("repeated field", HttpMethod.POST, "/admin/api/tenants", "{\"id\": \"t-dup\", \"name\": \"x\", \"id\": \"t-dup2\"}", "id"),
                arguments("string as production flag", HttpMethod.PUT, env, "{\"production\": \"true\"}", "production"),
                arguments("number as enabled flag", HttpMethod.PUT, env, "{\"enabled\": 0}", "enabled"),
                arguments("blank string as enabled flag", HttpMethod.PUT, env, "{\"enabled\": \"  \"}", "enabled"),
                arguments("number as agent id", HttpMethod.PUT, corp, "{\"agent_id\": 1000002}", "agent_id"),
                arguments("number as secret", HttpMethod.POST, env + "/secret", "{\"secret\": 12345678901234567890}", "secret"),
                arguments("one grant instead of an array", HttpMethod.POST, t + "/clients", "{\"name\": \"svc\", \"grants\": {\"app\": \"*\", \"env\": \"*\"}}", "grants"),
                arguments("number as grant app", HttpMethod.POST, t + "/clients", "{\"name\": \"svc\", \"grants\": [{\"app\": 1, \"env\": \"*\"}]}", "grants[0].app"),
                arguments("unknown grant field", HttpMethod.POST, t + "/clients", "{\"name\": \"svc\", \"grants\": [{\"app\": \"*\", \"env\": \"*\", \"scope\": \"all\"}]}", "grants[0].scope"),
                arguments("lone surrogate in a secret", HttpMethod.PUT, env, "{\"secret\": \"abcdefgh\\ud800ijklmnop\"}", "secret"),
                arguments("lone surrogate in a tenant name", HttpMethod.POST, "/admin/api/tenants", "{\"id\": \"t-surrogate\", \"name\": \"\\udc00\"}", "name"),
                arguments("number as password", HttpMethod.POST, "/admin/api/admin-users", "{\"username\": \"u-num\", \"password\": 123456789012345, \"role\": \"VIEWER\"}", "password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongJson")
    void wrongJsonAnswers400NamingTheFieldAndChangesNothing(String rule, HttpMethod method, String path, String json,
                                                            String field) {
        String before = state();

        byte[] answer = AdminApiTestSupport.client(port).method(method).uri(path).headers(admin.basic())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-input")
                .jsonPath("$.errors[?(@.field == '" + field + "')].message").isNotEmpty()
                .returnResult().getResponseBody();

        assertThat(new String(answer, StandardCharsets.UTF_8))
                .doesNotContain("1e999999", "12345678901234567890", "123456789012345", "Exception", "tools.jackson");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void trailingJsonAfterTheBodyIsA400() {
        String id = slug("t");
        AdminApiTestSupport.client(port).post().uri("/admin/api/tenants").headers(admin.basic())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": \"" + id + "\", \"name\": \"x\"} {}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-input");
        send(HttpMethod.GET, "/admin/api/tenants/" + id, null).expectStatus().isNotFound();
    }

    @Test
    void everyViolationOfOneRequestIsReported() {
        send(HttpMethod.PUT, "/admin/api/tenants/" + tenant + "/apps/corp/envs/Bad", body("appid", "wx1", "secret", "",
                "token_mode", "STABLE", "agent_id", "x"))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field").isEqualTo(List.of("env", "appid", "secret", "token_mode", "agent_id"));
    }

    @Test
    void aMissingOrMalformedBodyIsA400() {
        WebTestClient http = AdminApiTestSupport.client(port);
        http.post().uri("/admin/api/tenants").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-input");
        http.post().uri("/admin/api/tenants").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": ")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/invalid-input");
    }

    @Test
    void unknownThingsAre404AndDuplicates409() {
        String t = "/admin/api/tenants/" + tenant;
        send(HttpMethod.PUT, "/admin/api/tenants/nope-" + tenant + "/apps/mini/envs/x", body("appid", wechatAppid(), "secret", secret()))
                .expectStatus().isNotFound().expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/not-found");
        send(HttpMethod.PUT, t + "/apps/nope/envs/x", body("appid", wechatAppid(), "secret", secret())).expectStatus().isNotFound();
        send(HttpMethod.POST, t + "/apps/mini/envs/nope/secret", body("secret", secret())).expectStatus().isNotFound();
        send(HttpMethod.DELETE, t + "/apps/mini/envs/nope", null).expectStatus().isNotFound();
        send(HttpMethod.DELETE, "/admin/api/admin-users/nobody-" + tenant, null).expectStatus().isNotFound();
        send(HttpMethod.POST, t + "/apps", body("id", "mini", "name", "again", "platform", "WECOM")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/conflict");
        send(HttpMethod.POST, "/admin/api/admin-users", body("username", admin.username(), "password", "p".repeat(12), "role", "VIEWER"))
                .expectStatus().isEqualTo(409);
        send(HttpMethod.DELETE, "/admin/api/admin-users/" + admin.username(), null).expectStatus().isEqualTo(409);
    }

    private WebTestClient.ResponseSpec send(HttpMethod method, String path, Map<String, Object> body) {
        WebTestClient.RequestBodySpec request = AdminApiTestSupport.client(port).method(method).uri(path).headers(admin.basic());
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** Everything a request in this test could have written: the tenant's rows, clients, admin users, audit events. */
    private String state() {
        return String.join("\n",
                jdbc.queryForList("select t::text from tenant t where id like 'valid-%' or id like 't-%' order by id", String.class).toString(),
                jdbc.queryForList("select a::text from app a where tenant_id = ? order by id", String.class, tenant).toString(),
                jdbc.queryForList("""
                        select e::text || c::text from environment e join credential c on c.environment_id = e.id
                          join app a on a.id = e.app_id where a.tenant_id = ? order by e.id""", String.class, tenant).toString(),
                jdbc.queryForList("""
                        select c::text || coalesce((select string_agg(g::text, ',') from api_client_grant g where g.client_id = c.id), '')
                          from api_client c where tenant_id = ? order by id""", String.class, tenant).toString(),
                jdbc.queryForObject("select count(*) || ':' || coalesce(max(created_at)::text, '') from admin_user", String.class),
                jdbc.queryForObject("select count(*) from audit_event where actor = ?", String.class, admin.username()));
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    private static Map<String, Object> grant(String app, String env) {
        return body("app", app, "env", env);
    }
}
