package dev.tokencenter.admin;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.registry.TransactionalChanges;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.web.ConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every change through the admin API writes exactly one audit event, in its transaction; non-changes write none. */
@IntegrationTest
class AuditTrailTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient http;
    Login admin;
    String tenant;

    @BeforeEach
    void setUp() {
        http = AdminApiTestSupport.client(port);
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        tenant = slug("audit");
    }

    @Test
    void everyChangeWritesOneAuditEvent() {
        String t = "/admin/api/tenants/" + tenant;
        String env = t + "/apps/shop/envs/prod";
        String secret = secret();

        changes("tenant.create", tenant, HttpMethod.POST, "/admin/api/tenants", Map.of("id", tenant, "name", "Audit"), 201);
        changes("app.create", tenant + "/shop", HttpMethod.POST, t + "/apps",
                Map.of("id", "shop", "name", "Shop", "platform", "WECHAT_MINIPROGRAM"), 201);
        Map<String, Object> spec = Map.of("appid", wechatAppid(), "secret", secret, "production", true);
        changes("env.create", tenant + "/shop/prod", HttpMethod.PUT, env, spec, 201);
        unchanged(HttpMethod.PUT, env, spec, 200);
        changes("env.update", tenant + "/shop/prod", HttpMethod.PUT, env, Map.of("token_mode", "CLASSIC"), 200);
        changes("env.secret.rotate", tenant + "/shop/prod", HttpMethod.POST, env + "/secret", Map.of("secret", secret()), 200);
        unchanged(HttpMethod.DELETE, env, null, 409);
        unchanged(HttpMethod.PUT, env, Map.of("token_mode", "SLOW"), 400);
        String clientId = (String) changes("client.create", null, HttpMethod.POST, t + "/clients",
                Map.of("name", "svc", "grants", List.of(Map.of("app", "shop", "env", "prod"))), 201).get("client_id");
        assertThat(latest().get("target")).isEqualTo(tenant + "/" + clientId);
        changes("client.revoke", tenant + "/" + clientId, HttpMethod.DELETE, t + "/clients/" + clientId, null, 204);
        unchanged(HttpMethod.DELETE, t + "/clients/" + clientId, null, 204);
        changes("env.update", tenant + "/shop/prod", HttpMethod.PUT, env, Map.of("enabled", false), 200);
        changes("env.delete", tenant + "/shop/prod", HttpMethod.DELETE, env, null, 204);
        changes("app.delete", tenant + "/shop", HttpMethod.DELETE, t + "/apps/shop", null, 204);
        String user = slug("audited");
        changes("admin-user.create", "admin-user/" + user, HttpMethod.POST, "/admin/api/admin-users",
                Map.of("username", user, "password", "long-enough-" + secret(), "role", "OPERATOR"), 201);
        changes("admin-user.delete", "admin-user/" + user, HttpMethod.DELETE, "/admin/api/admin-users/" + user, null, 204);
        changes("keys.rewrap", "master-keys", HttpMethod.POST, "/admin/api/keys/rewrap", null, 200);

        List<Map<String, Object>> trail = jdbc.queryForList(
                "select action, outcome, details::text as details from audit_event where actor = ? order by id", admin.username());
        assertThat(trail).extracting(e -> e.get("action")).containsExactly("tenant.create", "app.create", "env.create",
                "env.update", "env.secret.rotate", "client.create", "client.revoke", "env.update", "env.delete",
                "app.delete", "admin-user.create", "admin-user.delete", "keys.rewrap");
        assertThat(trail).extracting(e -> (String) e.get("details")).noneMatch(details -> details.contains(secret));
        assertThat(jdbc.queryForObject("select details->'changed' from audit_event where actor = ? and action = 'env.update'"
                + " order by id limit 1", String.class, admin.username())).isEqualTo("[\"token_mode\"]");
    }

    @Test
    void theAuditApiFiltersByTenantAndTimeAndPages() {
        Instant start = Instant.now().minusSeconds(1);
        String t = "/admin/api/tenants/" + tenant;
        send(HttpMethod.POST, "/admin/api/tenants", Map.of("id", tenant, "name", "Audit")).expectStatus().isCreated();
        for (String app : List.of("a", "b", "c")) {
            send(HttpMethod.POST, t + "/apps", Map.of("id", app, "name", app, "platform", "WECOM")).expectStatus().isCreated();
        }

        send(HttpMethod.GET, "/admin/api/audit?tenant=" + tenant, null).expectStatus().isOk().expectBody()
                .jsonPath("$.events.length()").isEqualTo(4)
                .jsonPath("$.events[0].action").isEqualTo("app.create")
                .jsonPath("$.events[0].target").isEqualTo(tenant + "/c")
                .jsonPath("$.events[0].actor").isEqualTo(admin.username())
                .jsonPath("$.events[0].outcome").isEqualTo("SUCCESS")
                .jsonPath("$.events[0].details.platform").isEqualTo("WECOM")
                .jsonPath("$.events[3].action").isEqualTo("tenant.create")
                .jsonPath("$.has_more").isEqualTo(false);
        send(HttpMethod.GET, "/admin/api/audit?tenant=" + tenant + "&size=3&page=1", null).expectStatus().isOk().expectBody()
                .jsonPath("$.page").isEqualTo(1)
                .jsonPath("$.events.length()").isEqualTo(1)
                .jsonPath("$.events[0].action").isEqualTo("tenant.create");
        send(HttpMethod.GET, "/admin/api/audit?tenant=" + tenant + "&size=3", null).expectStatus().isOk().expectBody()
                .jsonPath("$.has_more").isEqualTo(true);
        send(HttpMethod.GET, "/admin/api/audit?tenant=" + tenant + "&since=" + start, null).expectStatus().isOk().expectBody()
                .jsonPath("$.events.length()").isEqualTo(4);
        send(HttpMethod.GET, "/admin/api/audit?tenant=" + tenant + "&since=" + Instant.now().plusSeconds(60), null)
                .expectStatus().isOk().expectBody().jsonPath("$.events.length()").isEqualTo(0);
        send(HttpMethod.GET, "/admin/api/audit?since=" + start, null).expectStatus().isOk().expectBody()
                .jsonPath("$.events[?(@.tenant == '" + tenant + "')]").isNotEmpty();
    }

    @Test
    void anAuditEventIsPartOfItsChangesTransaction() {
        String marker = slug("rolled-back");
        TransactionalChanges changes = context.getBean(TransactionalChanges.class);
        AuditLog audit = context.getBean(AuditLog.class);

        assertThatThrownBy(() -> changes.run(events -> {
            audit.record(admin.username(), "test.change", null, marker, AuditOutcome.SUCCESS, Map.of());
            throw new ConflictException("fails after the audit event was written");
        })).isInstanceOf(ConflictException.class);

        assertThat(jdbc.queryForObject("select count(*) from audit_event where target = ?", Integer.class, marker)).isZero();
    }

    private Map<String, Object> changes(String action, String target, HttpMethod method, String path, Object body, int status) {
        long before = count();
        Map<?, ?> response = send(method, path, body).expectStatus().isEqualTo(status)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(count()).as(action + " writes one audit event").isEqualTo(before + 1);
        Map<String, Object> event = latest();
        assertThat(event.get("action")).isEqualTo(action);
        assertThat(event.get("outcome")).isEqualTo("SUCCESS");
        if (target != null) {
            assertThat(event.get("target")).isEqualTo(target);
        }
        if (!action.startsWith("admin-user") && !action.startsWith("keys")) {
            assertThat(event.get("tenant_id")).isEqualTo(tenant);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = response == null ? Map.of() : (Map<String, Object>) response;
        return typed;
    }

    private void unchanged(HttpMethod method, String path, Object body, int status) {
        long before = count();
        send(method, path, body).expectStatus().isEqualTo(status);
        assertThat(count()).as(method + " " + path + " (" + status + ") writes no audit event").isEqualTo(before);
    }

    private long count() {
        return jdbc.queryForObject("select count(*) from audit_event where actor = ?", Long.class, admin.username());
    }

    private Map<String, Object> latest() {
        return jdbc.queryForMap("select * from audit_event where actor = ? order by id desc limit 1", admin.username());
    }

    private WebTestClient.ResponseSpec send(HttpMethod method, String path, Object body) {
        WebTestClient.RequestBodySpec request = http.method(method).uri(path).headers(admin.basic());
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
