package dev.tokencenter.registry;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.client.ApiClientChangedEvent;
import dev.tokencenter.client.ClientKeys;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenStateRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static dev.tokencenter.admin.AdminApiTestSupport.wecomCorpId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry through the admin API: life cycle of tenants, apps, environments, secrets and clients. */
@IntegrationTest
class RegistryAdminApiTest {

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SecretReader secrets;

    WebTestClient http;
    Login operator;
    String tenant;
    final List<Object> events = new CopyOnWriteArrayList<>();
    final List<String> eventProblems = new CopyOnWriteArrayList<>();
    ApplicationListener<ApplicationEvent> listener;

    @BeforeEach
    void setUp() {
        http = AdminApiTestSupport.client(port);
        operator = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        tenant = slug("reg");
        listener = event -> {
            if (event instanceof PayloadApplicationEvent<?> payload
                    && (payload.getPayload() instanceof CredentialChangedEvent || payload.getPayload() instanceof ApiClientChangedEvent)) {
                if (TransactionSynchronizationManager.isActualTransactionActive()) {
                    eventProblems.add("published inside a transaction: " + payload.getPayload());
                }
                events.add(payload.getPayload());
            }
        };
        multicaster().addApplicationListener(listener);
        post("/admin/api/tenants", Map.of("id", tenant, "name", "Registry test")).expectStatus().isCreated();
    }

    @AfterEach
    void tearDown() {
        multicaster().removeApplicationListener(listener);
    }

    @Test
    void createsListsAndShowsTenantsAndApps() {
        post("/admin/api/tenants", Map.of("id", tenant, "name", "again")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/conflict");
        get("/admin/api/tenants").expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.id == '" + tenant + "')].name").isEqualTo("Registry test");
        get("/admin/api/tenants/" + tenant).expectStatus().isOk().expectBody().jsonPath("$.created_at").exists();
        get("/admin/api/tenants/nope-" + tenant).expectStatus().isNotFound();

        post(apps(), Map.of("id", "shop", "name", "Shop", "platform", "WECHAT_MINIPROGRAM")).expectStatus().isCreated()
                .expectHeader().location("/admin/api/tenants/" + tenant + "/apps/shop")
                .expectBody().jsonPath("$.id").isEqualTo("shop").jsonPath("$.platform").isEqualTo("WECHAT_MINIPROGRAM");
        post(apps(), Map.of("id", "shop", "name", "Shop", "platform", "WECOM")).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        post("/admin/api/tenants/nope-" + tenant + "/apps", Map.of("id", "shop", "name", "Shop", "platform", "WECOM"))
                .expectStatus().isNotFound();
        post(apps(), Map.of("id", "corp", "name", "Corp", "platform", "WECOM")).expectStatus().isCreated();
        get(apps()).expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2).jsonPath("$[0].id").isEqualTo("corp").jsonPath("$[1].id").isEqualTo("shop");
        get(apps() + "/nope").expectStatus().isNotFound();
    }

    @Test
    void putCreatesAnEnvironmentAndShowsOnlyTheSecretsHint() {
        createApp("shop", "WECHAT_OFFICIAL_ACCOUNT");
        String appid = wechatAppid();
        String secret = secret();
        put(env("shop", "prod"), Map.of("appid", appid, "secret", secret, "production", true, "token_mode", "CLASSIC"))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.appid").isEqualTo(appid)
                .jsonPath("$.secret").doesNotExist()
                .jsonPath("$.secret_hint").isEqualTo(secret.substring(28))
                .jsonPath("$.rotated_at").exists()
                .jsonPath("$.production").isEqualTo(true)
                .jsonPath("$.enabled").isEqualTo(true)
                .jsonPath("$.token_mode").isEqualTo("CLASSIC")
                .jsonPath("$.credential_version").isEqualTo(1);
        long id = environmentId("shop", "prod");
        assertThat(secrets.secretOf(id)).isEqualTo(secret);
        assertThat(secrets.secretOf(new CredentialKey(tenant, "shop", "prod"))).isEqualTo(secret);
        assertThat(events).containsExactly(
                new CredentialChangedEvent(id, tenant, "shop", "prod", CredentialChangedEvent.Change.CREATED));
        assertThat(eventProblems).isEmpty();

        get(apps() + "/shop").expectStatus().isOk().expectBody()
                .jsonPath("$.environments[0].name").isEqualTo("prod")
                .jsonPath("$.environments[0].secret_hint").isEqualTo(secret.substring(28));
        String body = get(env("shop", "prod")).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).doesNotContain(secret);
    }

    @Test
    void identicalPutChangesNothing() {
        createApp("shop", "WECHAT_MINIPROGRAM");
        String secret = secret();
        Map<String, Object> body = Map.of("appid", wechatAppid(), "secret", secret, "production", false, "token_mode", "STABLE");
        put(env("shop", "test"), body).expectStatus().isCreated();
        long id = environmentId("shop", "test");
        Map<String, Object> before = row(id);
        long auditBefore = auditCount();
        events.clear();

        put(env("shop", "test"), body).expectStatus().isOk().expectBody().jsonPath("$.credential_version").isEqualTo(1);
        put(env("shop", "test"), Map.of("enabled", true)).expectStatus().isOk();

        assertThat(row(id)).isEqualTo(before);
        assertThat(auditCount()).isEqualTo(auditBefore);
        assertThat(events).isEmpty();
    }

    @Test
    void newSecretOrRotationBumpsVersionAndRotatedAt() {
        createApp("shop", "WECHAT_MINIPROGRAM");
        String appid = wechatAppid();
        put(env("shop", "test"), Map.of("appid", appid, "secret", secret())).expectStatus().isCreated();
        long id = environmentId("shop", "test");
        Instant firstRotation = (Instant) jdbc.queryForObject("select rotated_at from credential where environment_id = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), id);
        events.clear();

        String second = secret();
        put(env("shop", "test"), Map.of("secret", second)).expectStatus().isOk()
                .expectBody().jsonPath("$.credential_version").isEqualTo(2).jsonPath("$.appid").isEqualTo(appid);
        assertThat(secrets.secretOf(id)).isEqualTo(second);

        String third = secret();
        post(env("shop", "test") + "/secret", Map.of("secret", third)).expectStatus().isOk()
                .expectBody().jsonPath("$.credential_version").isEqualTo(3)
                .jsonPath("$.secret_hint").isEqualTo(third.substring(28));
        assertThat(secrets.secretOf(id)).isEqualTo(third);
        Instant lastRotation = jdbc.queryForObject("select rotated_at from credential where environment_id = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), id);
        assertThat(lastRotation).isAfter(firstRotation);
        assertThat(events).containsExactly(
                new CredentialChangedEvent(id, tenant, "shop", "test", CredentialChangedEvent.Change.SECRET_ROTATED),
                new CredentialChangedEvent(id, tenant, "shop", "test", CredentialChangedEvent.Change.SECRET_ROTATED));

        events.clear();
        put(env("shop", "test"), Map.of("enabled", false)).expectStatus().isOk();
        put(env("shop", "test"), Map.of("enabled", true)).expectStatus().isOk();
        put(env("shop", "test"), Map.of("token_mode", "CLASSIC")).expectStatus().isOk()
                .expectBody().jsonPath("$.credential_version").isEqualTo(3);
        assertThat(events).extracting(e -> ((CredentialChangedEvent) e).change()).containsExactly(
                CredentialChangedEvent.Change.DISABLED, CredentialChangedEvent.Change.ENABLED,
                CredentialChangedEvent.Change.UPDATED);
        assertThat(eventProblems).isEmpty();
    }

    @Test
    void wecomEnvironmentsHaveCorpIdAndAgentButNoTokenMode() {
        createApp("corp", "WECOM");
        String corpId = wecomCorpId();
        put(env("corp", "prod"), Map.of("appid", corpId, "secret", secret() + secret(), "agent_id", "1000002"))
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.appid").isEqualTo(corpId)
                .jsonPath("$.agent_id").isEqualTo("1000002")
                .jsonPath("$.token_mode").doesNotExist();
        put(env("corp", "prod"), Map.of("agent_id", "")).expectStatus().isOk().expectBody()
                .jsonPath("$.agent_id").doesNotExist().jsonPath("$.credential_version").isEqualTo(2);
    }

    @Test
    void productionEnvironmentsMustBeDisabledBeforeDeletion() {
        createApp("shop", "WECHAT_MINIPROGRAM");
        put(env("shop", "prod"), Map.of("appid", wechatAppid(), "secret", secret(), "production", true)).expectStatus().isCreated();
        put(env("shop", "test"), Map.of("appid", wechatAppid(), "secret", secret())).expectStatus().isCreated();
        long prodId = environmentId("shop", "prod");
        long testId = environmentId("shop", "test");
        long prodUpstreamId = TokenStateRows.upstreamIdOf(jdbc, prodId);
        // the refresh engine may have written the row already
        jdbc.update("insert into token_state (upstream_id) values (?) on conflict (upstream_id) do nothing", prodUpstreamId);

        delete(env("shop", "prod")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("disable it first"));
        delete(apps() + "/shop").expectStatus().isEqualTo(HttpStatus.CONFLICT);
        assertThat(jdbc.queryForObject("select count(*) from credential where environment_id in (?, ?)", Integer.class,
                prodId, testId)).isEqualTo(2);

        delete(env("shop", "test")).expectStatus().isNoContent();
        get(env("shop", "test")).expectStatus().isNotFound();
        delete(env("shop", "test")).expectStatus().isNotFound();

        put(env("shop", "prod"), Map.of("enabled", false)).expectStatus().isOk();
        events.clear();
        delete(apps() + "/shop").expectStatus().isNoContent();
        get(apps() + "/shop").expectStatus().isNotFound();
        assertThat(jdbc.queryForObject("select count(*) from environment where id = ?", Integer.class, prodId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from credential where environment_id = ?", Integer.class, prodId)).isZero();
        // no environment names its upstream credential any more: its token state is dropped
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from token_state where upstream_id = ?", Integer.class, prodUpstreamId)).isZero());
        assertThat(events).containsExactly(
                new CredentialChangedEvent(prodId, tenant, "shop", "prod", CredentialChangedEvent.Change.DELETED));
    }

    @Test
    void clientsGetAKeyOnceAreListedWithoutKeysAndAreRevokedAtOnce() {
        createApp("shop", "WECHAT_MINIPROGRAM");
        put(env("shop", "prod"), Map.of("appid", wechatAppid(), "secret", secret())).expectStatus().isCreated();
        events.clear();
        var created = post(clients(), Map.of("name", "orders", "grants",
                List.of(Map.of("app", "shop", "env", "prod"), Map.of("app", "*", "env", "*"))))
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String clientId = (String) created.get("client_id");
        String key = (String) created.get("key");
        assertThat(ClientKeys.clientIdOf(key)).contains(clientId);
        String storedHash = jdbc.queryForObject("select key_hash from api_client where id = ?", String.class, clientId);
        assertThat(ClientKeys.matches(key, storedHash)).isTrue();
        assertThat(events).containsExactly(new ApiClientChangedEvent(clientId, tenant, false));

        String list = get(clients()).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(list).contains(clientId).doesNotContain(key).doesNotContain(storedHash);
        get(clients()).expectBody()
                .jsonPath("$[0].grants.length()").isEqualTo(2)
                .jsonPath("$[0].grants[0].app").isEqualTo("*")
                .jsonPath("$[0].revoked").isEqualTo(false);

        delete(clients() + "/" + clientId).expectStatus().isNoContent();
        assertThat(events).last().isEqualTo(new ApiClientChangedEvent(clientId, tenant, true));
        get(clients()).expectBody().jsonPath("$[0].revoked").isEqualTo(true).jsonPath("$[0].revoked_at").exists();
        delete(clients() + "/" + clientId).expectStatus().isNoContent();
        delete(clients() + "/cffffffffffffffff").expectStatus().isNotFound();
        assertThat(eventProblems).isEmpty();
    }

    @Test
    void deletingAnEnvironmentRemovesGrantsNamingIt() {
        createApp("shop", "WECHAT_MINIPROGRAM");
        put(env("shop", "test"), Map.of("appid", wechatAppid(), "secret", secret())).expectStatus().isCreated();
        String clientId = (String) post(clients(), Map.of("name", "orders", "grants",
                List.of(Map.of("app", "shop", "env", "test"), Map.of("app", "shop", "env", "*"))))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("client_id");
        events.clear();

        delete(env("shop", "test")).expectStatus().isNoContent();

        assertThat(jdbc.queryForList("select app_slug || '/' || env_name from api_client_grant where client_id = ?",
                String.class, clientId)).containsExactly("shop/*");
        assertThat(events).contains(new ApiClientChangedEvent(clientId, tenant, false));
    }

    @Test
    void aTenantIsDeletedOnlyWithoutAppsAndActiveClientsAndTakesItsRevokedClientsAlong() {
        String tenantPath = "/admin/api/tenants/" + tenant;
        createApp("shop", "WECHAT_MINIPROGRAM");
        String active = (String) post(clients(), Map.of("name", "orders", "grants", List.of(Map.of("app", "*", "env", "*"))))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("client_id");
        String revoked = (String) post(clients(), Map.of("name", "old", "grants", List.of(Map.of("app", "*", "env", "*"))))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("client_id");
        delete(clients() + "/" + revoked).expectStatus().isNoContent();

        delete(tenantPath).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("1 app(s)"));
        delete(apps() + "/shop").expectStatus().isNoContent();
        delete(tenantPath).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("1 active API client(s)"));
        assertThat(jdbc.queryForObject("select count(*) from api_client where tenant_id = ?", Long.class, tenant)).isEqualTo(2);

        delete(clients() + "/" + active).expectStatus().isNoContent();
        delete(tenantPath).expectStatus().isNoContent();

        get(tenantPath).expectStatus().isNotFound();
        delete(tenantPath).expectStatus().isNotFound();
        assertThat(jdbc.queryForObject("select count(*) from api_client where tenant_id = ?", Long.class, tenant)).isZero();
        assertThat(jdbc.queryForList("select action from audit_event where tenant_id = ? order by id", String.class, tenant))
                .contains("client.revoke").last().isEqualTo("tenant.delete");
    }

    private void createApp(String app, String platform) {
        post(apps(), Map.of("id", app, "name", app, "platform", platform)).expectStatus().isCreated();
    }

    private long environmentId(String app, String env) {
        return jdbc.queryForObject("""
                select e.id from environment e join app a on a.id = e.app_id
                 where a.tenant_id = ? and a.slug = ? and e.name = ?""", Long.class, tenant, app, env);
    }

    private Map<String, Object> row(long environmentId) {
        return jdbc.queryForMap("""
                select e.production, e.enabled, e.token_mode, e.updated_at, c.appid, c.agent_id,
                       encode(c.secret_envelope, 'hex') as envelope, c.secret_key_id, c.secret_hint, c.version, c.rotated_at
                  from environment e join credential c on c.environment_id = e.id where e.id = ?""", environmentId);
    }

    private long auditCount() {
        return jdbc.queryForObject("select count(*) from audit_event where tenant_id = ?", Long.class, tenant);
    }

    private ApplicationEventMulticaster multicaster() {
        return context.getBean(ApplicationEventMulticaster.class);
    }

    private String apps() {
        return "/admin/api/tenants/" + tenant + "/apps";
    }

    private String clients() {
        return "/admin/api/tenants/" + tenant + "/clients";
    }

    private String env(String app, String env) {
        return apps() + "/" + app + "/envs/" + env;
    }

    private WebTestClient.ResponseSpec get(String path) {
        return http.get().uri(path).headers(operator.basic()).exchange();
    }

    private WebTestClient.ResponseSpec post(String path, Object body) {
        return http.post().uri(path).headers(operator.basic()).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String path, Object body) {
        return http.put().uri(path).headers(operator.basic()).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec delete(String path) {
        return http.delete().uri(path).headers(operator.basic()).exchange();
    }
}
