package dev.tokencenter.monitoring;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.simulator.LoginCode;
import dev.tokencenter.support.StandaloneInstance;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running instance that refreshed a credential, served token reads (fast path and full chain), a compatible call
 * and a mini program login, with an admin event stream open: its management port exports every series of the
 * contract (deploy/metrics.txt) with sane values and bounded labels, and its health groups say what they should. The
 * public port refuses every actuator path. The instance is the test's own ({@link StandaloneInstance}).
 */
class MetricsAndHealthTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Slugs, fixed words, errcodes, endpoint paths and route templates: nothing a client or WeChat chose freely. */
    private static final String BOUNDED_LABEL = "[A-Za-z0-9_./{}:+-]{0,80}";

    static ConfigurableApplicationContext context;
    static MonitoringPoller poller;

    TokenApiFixture fixture;
    ManagementPortClient ports;
    String tenant;

    @BeforeAll
    static void startInstance() {
        // only what changed is read between full reads: none comes while the test runs unless the catalog changes
        context = StandaloneInstance.start("metrics-and-health", Map.of("token-center.monitoring.full-read-period", "1h"));
        poller = context.getBean(MonitoringPoller.class);
    }

    @AfterAll
    static void stopInstance() {
        if (context != null) {
            context.close();
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        ports = new ManagementPortClient(context);
        tenant = fixture.tenant();
    }

    @Test
    void everyContractSeriesIsExportedWithSaneValuesBoundedLabelsAndNoSecret() throws Exception {
        long startedAt = Instant.now().getEpochSecond();
        Credential mini = fixture.wechat(tenant, "mini", "prod");
        Credential noToken = fixture.wechatWithWrongSecret(tenant, "no-token", "prod");
        CreatedClient client = fixture.client(tenant, "mini/prod:token,session", "no-token/prod");
        Scrape before = ports.scrape();

        String token = tokenOf(ports.publicPort(mini.path(), client.key()));     // the full chain: the key is new here
        for (int i = 0; i < 3; i++) {
            assertThat(tokenOf(ports.publicPort(mini.path(), client.key()))).isEqualTo(token);   // the fast path
        }
        // a credential WeChat gives no token: its reads miss the near cache whatever the scheduler did meanwhile
        assertThat(ports.publicPort(noToken.path(), client.key()).statusCode()).isEqualTo(503);
        HttpResponse<String> onManagementPort = ManagementPortClient.get(ports.managementPort(), mini.path(), client.key());
        assertThat(onManagementPort.statusCode()).as(onManagementPort.body()).isEqualTo(404);
        assertThat(onManagementPort.body()).doesNotContain(token);
        HttpResponse<String> compatOnManagementPort = ManagementPortClient.get(ports.managementPort(),
                "/cgi-bin/token?grant_type=client_credential&appid=" + mini.appid() + "&secret=" + client.key(), null);
        assertThat(compatOnManagementPort.statusCode()).as(compatOnManagementPort.body()).isEqualTo(404);
        assertThat(compatOnManagementPort.body()).doesNotContain(token);
        HttpResponse<String> compat = ports.publicPort("/cgi-bin/token?grant_type=client_credential&appid=" + mini.appid()
                + "&secret=" + client.key(), null);
        assertThat(compat.statusCode()).as(compat.body()).isEqualTo(200);
        // the other contexts of this JVM share Redis and PostgreSQL and run their schedulers, so the first refresh may
        // have been one of theirs: an operator's refresh through this instance makes it refresh and call upstream here
        AdminApiTestSupport.Login operator = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        AdminApiTestSupport.client(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class))
                .post().uri("/admin/api/tenants/" + tenant + "/apps/mini/envs/prod/refresh").headers(operator.basic())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("REFRESHED");
        String openid = "o" + TokenApiFixture.hex(10);
        LoginCode login = TestInfrastructure.get().simulator().mintLoginCode(mini.appid(), openid, "u-" + openid);
        HttpResponse<String> session = post("/v1/miniprogram/" + tenant + "/mini/prod/sessions", client.key(),
                "{\"code\":\"" + login.code() + "\"}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        String sessionId = JSON.readTree(session.body()).get("session_id").asString();
        HttpResponse<String> badCode = post("/v1/miniprogram/" + tenant + "/mini/prod/sessions", client.key(),
                "{\"code\":\"no-such-code-" + TokenApiFixture.hex(4) + "\"}");
        assertThat(badCode.statusCode()).as(badCode.body()).isEqualTo(400);
        String badCodeType = JSON.readTree(badCode.body()).path("type").asString();
        assertThat(badCodeType).startsWith("https://token-center.dev/problems/");

        try (AutoCloseable stream = openAdminEventStream()) {
            Map<String, String> env = Map.of("tenant", tenant, "app", "mini", "env", "prod");
            Scrape scrape = awaitScrape(s -> s.valueOr0("tokencenter_sse_subscribers", Map.of()) >= 1
                    && s.value("tokencenter_credential_state", with(env, "state", "OK")).orElse(0.0) == 1);

            for (String series : contractSeries()) {
                assertThat(scrape.named(series)).as("series %s in the scrape", series).isNotEmpty();
            }
            assertThat(scrape.sum("tokencenter_refresh_total", with(env, "result", "refreshed"))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_upstream_calls_total", Map.of("endpoint", "/cgi-bin/stable_token", "errcode", "0")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_upstream_calls_total", Map.of("endpoint", "/sns/jscode2session", "errcode", "0")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_token_seconds_left", env)).isBetween(60.0, 7200.0);
            for (String state : List.of("REFRESHING", "RETRYING", "PAUSED", "STOPPED", "DISABLED", "NONE")) {
                assertThat(scrape.valueOr0("tokencenter_credential_state", with(env, "state", state))).as(state).isZero();
            }
            assertThat(scrape.valueOr0("tokencenter_credentials", Map.of("state", "OK"))).isGreaterThanOrEqualTo(1);
            Map<String, String> quota = with(env, "endpoint", "/cgi-bin/stable_token");
            assertThat(scrape.valueOr0("tokencenter_quota_used", quota)).isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_quota_limit", quota)).isGreaterThan(scrape.valueOr0("tokencenter_quota_used", quota));
            assertThat(scrape.valueOr0("tokencenter_lock_wait_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_refresh_duration_seconds_count", Map.of("result", "refreshed")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_refresh_lag_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_refresh_last_success_timestamp_seconds", Map.of()))
                    .isBetween((double) startedAt, (double) Instant.now().getEpochSecond() + 1);

            Map<String, String> tokenRoute = Map.of("route", "/v1/tokens/{tenant}/{app}/{env}", "status", "200");
            assertThat(delta(before, scrape, "tokencenter_api_requests_seconds_count", tokenRoute)).isGreaterThanOrEqualTo(4);
            assertThat(scrape.valueOr0("tokencenter_api_requests_seconds_bucket", with(tokenRoute, "le", "+Inf")))
                    .isEqualTo(scrape.valueOr0("tokencenter_api_requests_seconds_count", tokenRoute));
            assertThat(delta(before, scrape, "tokencenter_api_requests_seconds_count",
                    Map.of("route", "/cgi-bin/token", "status", "200"))).isGreaterThanOrEqualTo(1);
            assertThat(delta(before, scrape, "tokencenter_near_cache_requests_total", Map.of("result", "hit")))
                    .isGreaterThanOrEqualTo(4);
            assertThat(delta(before, scrape, "tokencenter_near_cache_requests_total", Map.of("result", "miss")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(delta(before, scrape, "tokencenter_miniprogram_calls_total",
                    Map.of("endpoint", "sessions.create", "outcome", "ok"))).isEqualTo(1);
            assertThat(delta(before, scrape, "tokencenter_miniprogram_calls_total", Map.of("endpoint", "sessions.create",
                    "outcome", badCodeType.substring(badCodeType.lastIndexOf('/') + 1)))).isEqualTo(1);
            assertThat(scrape.valueOr0("tokencenter_ready", Map.of())).isEqualTo(1);

            for (Scrape.Sample sample : scrape.samples()) {
                if (sample.name().startsWith("tokencenter_")) {
                    sample.labels().values().forEach(value -> assertThat(value).as(sample.toString()).matches(BOUNDED_LABEL));
                }
            }
            assertThat(scrape.text()).doesNotContain(token).doesNotContain(client.key()).doesNotContain(mini.secret())
                    .doesNotContain(mini.appid()).doesNotContain(noToken.secret()).doesNotContain(noToken.appid())
                    .doesNotContain(openid).doesNotContain(sessionId)
                    .doesNotContain(login.code()).doesNotContain(login.sessionKey());
        }
    }

    @Test
    void theActuatorAnswersOnlyOnTheManagementPort() {
        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator/health/readiness",
                "/actuator/health/liveness", "/actuator/info", "/actuator", "/actuator/env")) {
            HttpResponse<String> refused = ports.publicPort(path, null);
            assertThat(refused.statusCode()).as(path + ": " + refused.body()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain("tokencenter_").doesNotContain("\"UP\"");
        }
        assertThat(ports.management("/actuator/env").statusCode()).isEqualTo(404);
        HttpResponse<String> liveness = ports.management("/actuator/health/liveness");
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(JSON.readTree(liveness.body()).path("status").asString()).isEqualTo("UP");
        HttpResponse<String> readiness = ports.management("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        JsonNode ready = JSON.readTree(readiness.body());
        assertThat(ready.path("status").asString()).isEqualTo("UP");
        for (String component : List.of("readinessState", "db", "redis", "refreshEngine")) {
            assertThat(ready.path("components").path(component).path("status").asString()).as(component).isEqualTo("UP");
        }
        assertThat(ready.path("components").has("livenessState")).isFalse();
    }

    @Test
    void aStoppedCredentialIsAWarningDetailAndTheInstanceStaysReady() throws Exception {
        Credential broken = fixture.wechatWithWrongSecret(tenant, "broken", "prod");
        CreatedClient client = fixture.client(tenant, "broken/prod");
        HttpResponse<String> read = ports.publicPort(broken.path(), client.key());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
        Map<String, String> env = Map.of("tenant", tenant, "app", "broken", "env", "prod");

        Scrape scrape = awaitScrape(s -> s.valueOr0("tokencenter_credential_state", with(env, "state", "STOPPED")) == 1);
        assertThat(scrape.valueOr0("tokencenter_credential_state", with(env, "state", "OK"))).isZero();
        assertThat(scrape.valueOr0("tokencenter_token_seconds_left", env)).isZero();
        assertThat(scrape.sum("tokencenter_refresh_total", with(env, "result", "failed"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.valueOr0("tokencenter_ready", Map.of())).isEqualTo(1);

        HttpResponse<String> readiness = ports.management("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        JsonNode engine = JSON.readTree(readiness.body()).path("components").path("refreshEngine");
        assertThat(engine.path("status").asString()).isEqualTo("UP");
        assertThat(engine.path("details").path("warning").asString()).contains("need an operator");
        assertThat(engine.path("details").path("needsAttention").path(tenant + "/broken/prod").asString()).startsWith("STOPPED");
        assertThat(readiness.body()).doesNotContain(broken.secret()).doesNotContain(client.key()).doesNotContain(broken.appid());
    }

    @Test
    void theSeriesOfADeletedEnvironmentGoWithIt() {
        fixture.wechat(tenant, "gone", "test");
        Map<String, String> env = Map.of("tenant", tenant, "app", "gone", "env", "test");
        awaitScrape(s -> s.value("tokencenter_credential_state", with(env, "state", "NONE")).isPresent());

        context.getBean(EnvironmentService.class).deleteEnvironment("test", tenant, "gone", "test");

        Scrape scrape = awaitScrape(s -> s.samples().stream().noneMatch(sample -> sample.has(env)));
        assertThat(scrape.text()).doesNotContain("tenant=\"" + tenant + "\"");
    }

    private Scrape awaitScrape(java.util.function.Predicate<Scrape> wanted) {
        Scrape[] last = new Scrape[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            poller.poll();
            last[0] = ports.scrape();
            return wanted.test(last[0]);
        });
        return last[0];
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.valueOr0(name, labels) - before.valueOr0(name, labels);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(name, value);
        return more;
    }

    private static List<String> contractSeries() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("..", "deploy", "metrics.txt"))) {
            List<String> names = lines.map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            assertThat(names).hasSizeGreaterThan(15);
            return names;
        }
    }

    private static String tokenOf(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("access_token").asString();
    }

    private HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin's browser following the event stream; closing it ends the stream. */
    private AutoCloseable openAdminEventStream() throws Exception {
        AdminApiTestSupport.Login admin = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = client.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/admin/api/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (admin.username() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        return () -> response.body().close();
    }
}
