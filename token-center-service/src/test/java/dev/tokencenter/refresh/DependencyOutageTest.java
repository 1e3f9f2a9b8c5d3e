package dev.tokencenter.refresh;

import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL or Redis failing under a running instance (reached through proxies that can cut them off, or tables
 * held locked by another session): the admin API, the refresh engine's operator endpoints and the token API answer
 * 503 problem details with Retry-After, never a 500, a stack trace or a secret.
 */
class DependencyOutageTest {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static StallingProxy postgres;
    static StallingProxy redis;
    static RefreshTestCluster cluster;
    static ConfigurableApplicationContext node;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static String admin;
    static String adminPassword;
    static String secret;
    static String clientKey;
    static String token;
    static String tenant = "outage";
    static String credentialPath = "/tenants/outage/apps/shop/envs/prod";

    @BeforeAll
    static void start() throws Exception {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        Matcher url = URL.matcher(infrastructure.jdbcUrl());
        assertThat(url.matches()).as(infrastructure.jdbcUrl()).isTrue();
        postgres = new StallingProxy(url.group(1), Integer.parseInt(url.group(2)));
        URI redisAddress = URI.create(infrastructure.redisAddress());
        redis = new StallingProxy(redisAddress.getHost(), redisAddress.getPort());
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of(
                "token-center.redis.address", "redis://127.0.0.1:" + redis.port(),
                "spring.datasource.hikari.connection-timeout", "1000",
                "spring.datasource.hikari.data-source-properties.options", "-c statement_timeout=1500ms"),
                jdbcUrl -> "jdbc:postgresql://127.0.0.1:" + postgres.port() + url.group(3));
        node = cluster.start("outage");
        base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");

        admin = "outage-admin";
        adminPassword = "pw-" + TokenApiFixture.hex(12);
        node.getBean(AdminUserService.class).ensureAdminUser("test", admin, adminPassword, AdminRole.ADMIN);
        String appid = "wx" + TokenApiFixture.hex(8);
        secret = TokenApiFixture.hex(16);
        cluster.simulator().registerApp(appid, secret, dev.tokencenter.simulator.Platform.WECHAT);
        node.getBean(TenantService.class).createTenant("test", tenant, "Outage");
        node.getBean(AppService.class).createApp("test", tenant, "shop", "Shop", Platform.WECHAT_MINIPROGRAM);
        node.getBean(EnvironmentService.class).putEnvironment("test", tenant, "shop", "prod",
                EnvironmentSpec.of(appid, secret, false, dev.tokencenter.registry.TokenMode.STABLE, true, null));
        clientKey = node.getBean(ApiClientService.class)
                .createClient("test", tenant, "svc", List.of(new ClientGrant("*", "*"))).key();

        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens/outage/shop/prod"))
                .header("Authorization", "Bearer " + clientKey).GET());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        token = JSON.readTree(read.body()).get("access_token").asString();
    }

    /**
     * Each test starts on a healthy instance: connections cut by an earlier test have been replaced, and the client key
     * is known to the instance again (a client re-read that failed in an earlier outage may have dropped it).
     */
    @BeforeEach
    void healthy() {
        postgres.resume();
        redis.resume();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
                asAdmin("GET", "/admin/api/tenants", null).statusCode() == 200
                        && asAdmin("GET", "/admin/api/status", null).statusCode() == 200
                        && asClient("/v1/tokens/outage/shop/prod").statusCode() == 200);
    }

    @AfterEach
    void reconnect() {
        postgres.resume();
        redis.resume();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        for (StallingProxy proxy : new StallingProxy[] {postgres, redis}) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void lockedTablesMakeAdminReadsWritesAndOperatorActionsAnswer503() throws Exception {
        try (Connection session = DriverManager.getConnection(directJdbcUrl(), TestInfrastructure.get().dbUser(),
                TestInfrastructure.get().dbPassword())) {
            session.setAutoCommit(false);
            try (Statement lock = session.createStatement()) {
                lock.execute("lock table tenant, audit_event in access exclusive mode");
            }
            assertUnavailable(asAdmin("GET", "/admin/api/tenants", null), "database-unavailable");
            assertUnavailable(asAdmin("POST", "/admin/api/tenants", "{\"id\":\"during-lock\",\"name\":\"x\"}"),
                    "database-unavailable");
            assertUnavailable(asAdmin("POST", "/admin/api" + credentialPath + "/refresh", null), "database-unavailable");
            session.rollback();
        }
        assertThat(asAdmin("GET", "/admin/api/tenants", null).statusCode()).isEqualTo(200);
    }

    @Test
    void postgresDownMakesTheAdminApiAndUnknownCredentialsAnswer503WhileKnownTokensAreServed() throws Exception {
        postgres.cut();

        assertUnavailable(asAdmin("GET", "/admin/api/tenants", null), "database-unavailable");
        assertUnavailable(asAdmin("POST", "/admin/api/tenants", "{\"id\":\"during-outage\",\"name\":\"x\"}"),
                "database-unavailable");
        assertUnavailable(asClient("/v1/tokens/outage/unknown/prod"), "token-unavailable");
        HttpResponse<String> known = asClient("/v1/tokens/outage/shop/prod");
        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
    }

    /** ... and the instance leaves rotation (readiness needs Redis) while it stays alive; it comes back with Redis. */
    @Test
    void redisDownMakesStatusAndOperatorActionsAnswer503() throws Exception {
        String management = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.management.port");
        HttpRequest.Builder readiness = HttpRequest.newBuilder(URI.create(management + "/actuator/health/readiness")).GET();
        HttpRequest.Builder liveness = HttpRequest.newBuilder(URI.create(management + "/actuator/health/liveness")).GET();
        assertThat(send(readiness).statusCode()).isEqualTo(200);
        redis.cut();

        assertUnavailable(asAdmin("GET", "/admin/api/status", null), "redis-unavailable");
        assertUnavailable(asAdmin("GET", "/admin/api" + credentialPath + "/status", null), "redis-unavailable");
        assertUnavailable(asAdmin("POST", "/admin/api" + credentialPath + "/refresh", null),
                "redis-unavailable", "refresh-busy", "database-unavailable");
        HttpResponse<String> unready = send(readiness);
        assertThat(unready.statusCode()).as(unready.body()).isEqualTo(503);
        JsonNode components = JSON.readTree(unready.body()).path("components");
        assertThat(components.path("redis").path("status").asString()).isEqualTo("DOWN");
        assertThat(components.path("db").path("status").asString()).isEqualTo("UP");
        assertThat(send(liveness).statusCode()).isEqualTo(200);

        redis.resume();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(readiness).statusCode() == 200);
    }

    /**
     * Change messages may have been missed while Redis was away, so its return makes the instance re-read the clients
     * it holds; while PostgreSQL is down too, it keeps them rather than refusing every key.
     */
    @Test
    void redisReturningWhilePostgresIsDownKeepsKnownClientKeysWorking() throws Exception {
        AtomicInteger subscriptions = new AtomicInteger();
        RTopic changes = node.getBean(RedissonClient.class).getTopic("token-center:db"
                + node.getBean(RedisProperties.class).database() + ":api-client-changed", StringCodec.INSTANCE);
        int listener = changes.addListener(new BaseStatusListener() {
            @Override
            public void onSubscribe(String channel) {
                subscriptions.incrementAndGet();
            }
        });
        Thread.sleep(500);
        subscriptions.set(0);
        redis.cut();
        postgres.cut();
        assertThat(asClient("/v1/tokens/outage/shop/prod").statusCode()).isEqualTo(200);

        redis.resume();
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriptions.get() > 0);
        Thread.sleep(500);
        changes.removeListener(listener);

        HttpResponse<String> read = asClient("/v1/tokens/outage/shop/prod");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(asClient("/v1/tokens/outage/shop/prod").statusCode()).isEqualTo(200);
    }

    /** Sessions live in Redis: without it session requests and logins answer 503; Basic and the token API go on. */
    @Test
    void redisDownMakesSessionLoginsAnswer503WhileBasicRequestsAndTokenReadsGoOn() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/admin/index.html")).GET());
        String csrf = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        HttpResponse<String> login = sessionLogin(csrf);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION="))
                .map(c -> c.substring("SESSION=".length(), c.indexOf(';'))).findFirst().orElseThrow();

        redis.cut();
        long started = System.nanoTime();
        assertUnavailable(send(HttpRequest.newBuilder(URI.create(base + "/admin/api/tenants"))
                .header("Cookie", "SESSION=" + session + "; XSRF-TOKEN=" + csrf).GET()), "redis-unavailable");
        assertUnavailable(sessionLogin(csrf), "redis-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(asAdmin("GET", "/admin/api/tenants", null).statusCode()).isEqualTo(200);
        assertThat(asClient("/v1/tokens/outage/shop/prod").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> sessionLogin(String csrf) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .header("Cookie", "XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + admin + "&password=" + adminPassword)));
    }

    private static void assertUnavailable(HttpResponse<String> answer, String... types) {
        String body = answer.body();
        assertThat(answer.statusCode()).as(body).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
                seconds -> assertThat(seconds).isPositive());
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("type").asString()).isIn(List.of(types).stream()
                .map(type -> "https://token-center.dev/problems/" + type).toList());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(body).doesNotContain("Exception", "\tat ", "java.", "org.springframework", "redisson", "postgresql",
                secret, clientKey, adminPassword, token);
    }

    private static HttpResponse<String> asAdmin(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((admin + ":" + adminPassword).getBytes(StandardCharsets.UTF_8)));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> asClient(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + clientKey).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String directJdbcUrl() {
        String schema = node.getEnvironment().getProperty("spring.flyway.default-schema");
        String url = TestInfrastructure.get().jdbcUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
