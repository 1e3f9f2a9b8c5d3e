package dev.tokencenter.refresh;

import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestCertificates;
import dev.tokencenter.support.TestCertificates.Authority;
import dev.tokencenter.support.TestCertificates.ServerFiles;
import dev.tokencenter.support.TlsFrontDoor;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.token.TokenReadFastPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The service between two TLS connections, each configured by settings alone. Upstream: WeChat (the simulator) behind
 * a certificate from a CA no trust store knows. The service refuses it (no token, the status names the TLS failure,
 * no request reaches WeChat) until that CA is the truststore of the SSL bundle named by
 * {@code token-center.wechat.ssl-bundle}. Downstream: the service serves HTTPS from PEM files
 * ({@code server.ssl.bundle}), and a client that trusts only the service's CA reads tokens through the security
 * chain and through the fast path on one keep-alive connection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "tls-admin";
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path files;

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static Authority wechatCa;
    static TlsFrontDoor wechat;
    static ConfigurableApplicationContext instance;
    static HttpClient client;
    static String base;
    static String tenant;
    static String appid;
    static String clientKey;

    @BeforeAll
    static void start() throws Exception {
        // a read without a usable token waits 2 s (not 3 s) before its 503
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(),
                CompressedRefreshSettings.defaults().refresh("read-wait", "2s").toMap());
        simulator = cluster.simulator();
        wechatCa = TestCertificates.authority("WeChat Test CA");
        wechat = TlsFrontDoor.start(wechatCa.issue("localhost"), simulator.baseUrl());
        instance = cluster.start("tls-default-trust", Map.of("token-center.wechat.api-base-url", wechat.baseUrl("localhost")));
        instance.getBean(AdminUserService.class).ensureAdminUser("test", ADMIN, PASSWORD, AdminRole.ADMIN);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        base = "http://localhost:" + instance.getEnvironment().getProperty("local.server.port");

        tenant = "tls-" + TokenApiFixture.hex(3);
        appid = "wx" + TokenApiFixture.hex(8);
        String secret = TokenApiFixture.hex(16);
        simulator.registerApp(appid, secret, Platform.WECHAT);
        admin("POST", "/admin/api/tenants", Map.of("id", tenant, "name", tenant), 201);
        admin("POST", "/admin/api/tenants/" + tenant + "/apps",
                Map.of("id", "shop", "name", "Shop", "platform", "WECHAT_MINIPROGRAM"), 201);
        admin("PUT", "/admin/api/tenants/" + tenant + "/apps/shop/envs/prod",
                Map.of("appid", appid, "secret", secret, "token_mode", "STABLE"), 201);
        clientKey = admin("POST", "/admin/api/tenants/" + tenant + "/clients",
                Map.of("name", "reader", "grants", List.of(Map.of("app", "shop", "env", "*"))), 201).path("key").asString();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (wechat != null) {
            wechat.close();
        }
    }

    @Test
    @Order(1)
    void anUpstreamSignedByAnUnconfiguredCaGivesNoTokenAndSeesNoRequest() throws Exception {
        HttpResponse<String> read = read("prod", "Bearer " + clientKey);

        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(read.body()).path("type").asString()).endsWith("/token-unavailable");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                admin("GET", "/admin/api/tenants/" + tenant + "/apps/shop/envs/prod/status", null, 200)
                        .path("last_error").path("message").asString())
                .contains("TLS handshake failed"));
        assertThat(wechat.requests()).as("requests that got past the TLS handshake").isZero();
        assertThat(simulator.callCount(appid, "/cgi-bin/stable_token")).isZero();
    }

    @Test
    @Order(2)
    void withTheCaConfiguredTheServiceRefreshesAndServesTheTokenOverHttps() throws Exception {
        instance.close();
        Authority serviceCa = TestCertificates.authority("Token Center Test CA");
        ServerFiles service = serviceCa.issue("localhost").writePem(files, "service");
        Path wechatCaFile = wechatCa.writePem(files);
        instance = cluster.start("tls-configured", Map.of(
                "token-center.wechat.api-base-url", wechat.baseUrl("localhost"),
                "token-center.wechat.ssl-bundle", "wechat",
                "spring.ssl.bundle.pem.wechat.truststore.certificate", "file:" + wechatCaFile,
                "server.ssl.bundle", "service",
                "spring.ssl.bundle.pem.service.keystore.certificate", "file:" + service.certificateChain(),
                "spring.ssl.bundle.pem.service.keystore.private-key", "file:" + service.privateKey()));
        String port = instance.getEnvironment().getProperty("local.server.port");
        client = HttpClient.newBuilder().sslContext(serviceCa.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        base = "https://localhost:" + port;

        String token = await().atMost(Duration.ofSeconds(10)).until(this::currentToken, Objects::nonNull);

        TokenValidity validity = simulator.tokenValidity(token);
        assertThat(validity.valid()).isTrue();
        assertThat(validity.appid()).isEqualTo(appid);
        assertThat(wechat.requests()).isPositive();
        JsonNode status = admin("GET", "/admin/api/tenants/" + tenant + "/apps/shop/envs/prod/status", null, 200);
        assertThat(status.path("last_error").isMissingNode() || status.path("last_error").isNull()).isTrue();
        // TLS only: the port does not answer plain HTTP
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/tokens/" + tenant + "/shop/prod")).header("Authorization", "Bearer " + clientKey)
                .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    @Order(3)
    void overTlsTheFastPathAndTheSecurityChainAnswerInTurnOnOneConnection() throws Exception {
        TokenReadFastPath fastPath = instance.getBean(TokenReadFastPath.class);
        String path = "/v1/tokens/" + tenant + "/shop/prod";
        // the first reads fill this instance's memory (the echo of the client's creation may empty it once more)
        await().atMost(Duration.ofSeconds(5)).until(() -> currentToken() != null && answersItself(fastPath, path));
        String token = currentToken();

        for (int round = 0; round < 5; round++) {
            HttpResponse<String> fast = read("prod", "Bearer " + clientKey);
            assertThat(fast.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(fast.body()).path("access_token").asString()).isEqualTo(token);
            assertThat(fast.headers().firstValue("Cache-Control")).hasValueSatisfying(value ->
                    assertThat(value).startsWith("private, max-age="));
            assertThat(read("missing", "Bearer " + clientKey).statusCode()).as("unknown environment").isEqualTo(404);
            assertThat(read("prod", null).statusCode()).as("no key").isEqualTo(401);
        }
        assertThat(answersItself(fastPath, path)).isTrue();
    }

    /** The token a client reads now, or null while there is none. */
    private String currentToken() throws Exception {
        HttpResponse<String> response = read("prod", "Bearer " + clientKey);
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("access_token").asString() : null;
    }

    /** Whether the warm-read route answers this read from memory, without handing it to WebFlux and the security chain. */
    private static boolean answersItself(TokenReadFastPath fastPath, String path) {
        return fastPath.answer(path, "Bearer " + clientKey) != null;
    }

    private static HttpResponse<String> read(String env, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/tokens/" + tenant + "/shop/" + env))
                .timeout(REQUEST_TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode admin(String method, String path, Object body, int expected) throws Exception {
        String basic = Base64.getEncoder().encodeToString((ADMIN + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
