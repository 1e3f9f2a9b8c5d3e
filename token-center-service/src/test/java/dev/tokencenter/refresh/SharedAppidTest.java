package dev.tokencenter.refresh;

import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WeChat issues tokens per AppID: two environments naming one AppID are one upstream credential, registered and
 * read over HTTP on two instances with 10 s classic tokens. They share one token and one refresh per cycle (each
 * classic fetch would otherwise kill the other environment's token), one secret, and one tenant.
 */
class SharedAppidTest {

    private static final Duration LIFETIME = Duration.ofSeconds(10);
    private static final String ADMIN = "shared-admin";
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(6))
                .withStableRotationWindow(Duration.ofSeconds(4)),
                CompressedRefreshSettings.defaults()
                        .refresh("scheduler-period", "200ms")
                        .refresh("minimum-lead", "4s")
                        .refresh("stable-rotation-window", "4s")
                        .refresh("stable-lead", "3s")
                        .refresh("retry-max-backoff", "2s")
                        .toMap());
        simulator = cluster.simulator();
        nodes = List.of(cluster.start("shared-a"), cluster.start("shared-b"));
        nodes.get(0).getBean(AdminUserService.class).ensureAdminUser("test", ADMIN, PASSWORD, AdminRole.ADMIN);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void environmentsNamingOneAppidShareOneSecretOneTenantAndOneToken() throws Exception {
        String appid = "wx" + hex(8);
        String secret = hex(16);
        simulator.registerApp(appid, secret, Platform.WECHAT);
        String tenant = "shared-" + hex(3);
        String other = "other-" + hex(3);
        for (String id : List.of(tenant, other)) {
            send(admin(0).post().uri("/admin/api/tenants").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("id", id, "name", id)), HttpStatus.CREATED);
            send(admin(0).post().uri("/admin/api/tenants/" + id + "/apps").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("id", "shop", "name", "Shop", "platform", "WECHAT_OFFICIAL_ACCOUNT")), HttpStatus.CREATED);
        }
        Map<String, Object> classic = Map.of("appid", appid, "secret", secret, "token_mode", "CLASSIC");
        send(putEnv(0, tenant, "prod", classic), HttpStatus.CREATED);

        // a second secret for the AppID is refused, naming the environment that holds it; nothing is written
        JsonNode otherSecret = send(putEnv(1, tenant, "staging", Map.of("appid", appid, "secret", hex(16),
                "token_mode", "CLASSIC")), HttpStatus.CONFLICT);
        assertThat(otherSecret.path("detail").asString()).contains(tenant + "/shop/prod").doesNotContain(secret);
        send(admin(1).get().uri("/admin/api/tenants/" + tenant + "/apps/shop/envs/staging"), HttpStatus.NOT_FOUND);
        // another tenant cannot register it, and is not told who holds it
        JsonNode otherTenant = send(putEnv(1, other, "prod", classic), HttpStatus.CONFLICT);
        assertThat(otherTenant.path("detail").asString()).contains("another tenant").doesNotContain(tenant);
        // the same secret joins the upstream credential
        send(putEnv(1, tenant, "staging", classic), HttpStatus.CREATED);

        JsonNode statuses = send(admin(0).get().uri("/admin/api/status?tenant=" + tenant), HttpStatus.OK);
        List<JsonNode> shown = new ArrayList<>();
        statuses.path("credentials").forEach(shown::add);
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).path("upstream_id").asLong()).isEqualTo(shown.get(1).path("upstream_id").asLong());
        assertThat(shown.get(0).path("upstream_key").asString()).isEqualTo("wechat:" + appid + ":classic");
        assertThat(shown.get(0).path("shared_with").get(0).asString()).isEqualTo(tenant + "/shop/staging");
        assertThat(shown.get(1).path("shared_with").get(0).asString()).isEqualTo(tenant + "/shop/prod");

        String key = send(admin(0).post().uri("/admin/api/tenants/" + tenant + "/clients").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "reader", "grants", List.of(Map.of("app", "shop", "env", "*")))), HttpStatus.CREATED)
                .path("key").asString();

        // four keep-alive readers on both instances and both environments for three lifetimes
        Instant until = Instant.now().plus(LIFETIME.multipliedBy(3));
        AtomicLong reads = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Thread reader = new Thread(() -> read(tenant, key, reading, reads, failures), "shared-reader-" + r);
            reader.start();
            readers.add(reader);
        }
        while (Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        reading.set(false);
        for (Thread reader : readers) {
            reader.join(10_000);
        }

        assertThat(failures).as("reads answered with a token WeChat no longer accepted, or failed").isEmpty();
        assertThat(reads.get()).isGreaterThan(100);
        long fetches = simulator.callCount(appid, "/cgi-bin/token");
        // the first fetch, then one per cycle (refresh at 6 s of a 10 s token): never one per environment
        assertThat(fetches).as("classic fetches of the shared AppID in %s", LIFETIME.multipliedBy(3))
                .isBetween(4L, 7L);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(token(0, tenant, "prod", key))
                .isEqualTo(token(1, tenant, "staging", key)));
    }

    private static void read(String tenant, String key, AtomicBoolean reading, AtomicLong reads, Queue<String> failures) {
        HttpClient http = HttpClient.newHttpClient();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (reading.get()) {
            int node = random.nextInt(nodes.size());
            String env = random.nextBoolean() ? "prod" : "staging";
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base(node) + "/v1/tokens/"
                                + tenant + "/shop/" + env)).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                Instant servedAt = simulator.clock().now();
                if (response.statusCode() != 200) {
                    failures.add(env + " on node " + node + ": HTTP " + response.statusCode());
                    continue;
                }
                TokenValidity validity = simulator.tokenValidity(JSON.readTree(response.body()).path("access_token").asString());
                if (!validity.valid() || !validity.expiresAt().isAfter(servedAt)) {
                    failures.add(env + " on node " + node + " served a dead token at " + servedAt + ": " + validity);
                }
            } catch (Exception e) {
                failures.add(env + " on node " + node + ": " + e);
            }
            reads.incrementAndGet();
        }
    }

    private static String token(int node, String tenant, String env, String key) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base(node)
                        + "/v1/tokens/" + tenant + "/shop/" + env)).header(HttpHeaders.AUTHORIZATION, "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }

    private static WebTestClient.RequestHeadersSpec<?> putEnv(int node, String tenant, String env, Map<String, Object> body) {
        return admin(node).put().uri("/admin/api/tenants/" + tenant + "/apps/shop/envs/" + env)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static WebTestClient admin(int node) {
        return WebTestClient.bindToServer().baseUrl(base(node)).responseTimeout(Duration.ofSeconds(15))
                .defaultHeaders(headers -> headers.setBasicAuth(ADMIN, PASSWORD)).build();
    }

    private static JsonNode send(WebTestClient.RequestHeadersSpec<?> request, HttpStatus expected) {
        byte[] body = request.exchange().expectStatus().isEqualTo(expected).expectBody().returnResult().getResponseBody();
        return body == null ? JSON.createObjectNode() : JSON.readTree(body);
    }

    private static String base(int node) {
        return "http://127.0.0.1:" + nodes.get(node).getEnvironment().getProperty("local.server.port");
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
