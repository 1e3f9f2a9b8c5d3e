package dev.tokencenter.web;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import dev.tokencenter.web.MalformedVariants.Auth;
import dev.tokencenter.web.MalformedVariants.Variant;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends malformed variants of every operation and parameter in {@code /v3/api-docs} (see {@link MalformedVariants})
 * to a running instance over HTTP, as an admin (session), as a client (key) and without or with wrong credentials,
 * and checks every answer: no 5xx, no stack trace or exception class name, no secret and no token (a token only in
 * a 200 of an endpoint that serves tokens), error bodies from the problem catalogue (WeChat's shape on
 * {@code /cgi-bin}), nothing echoed of huge values; and afterwards the admin API lists exactly what it listed before.
 * The case count and the answers are printed and written to {@code target/malformed-input-report.txt}.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedInputTest {

    /** Cases above this number are sampled, with a fixed seed, so the run stays well under a minute. */
    private static final int MAX_CASES = 2500;
    private static final long SEED = 9457;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    AdminSession session;
    String tenant;
    Credential mini;
    Credential corp;
    CreatedClient client;
    Login admin;
    List<String> secrets = new ArrayList<>();
    List<String> tokens = new ArrayList<>();

    @BeforeAll
    void fixture() throws Exception {
        TokenApiFixture fixture = new TokenApiFixture(context);
        tenant = fixture.tenant();
        mini = fixture.wechat(tenant, "mini", "prod");
        corp = fixture.wecom(tenant, "corp", "prod");
        client = fixture.client(tenant, "*/*:token,session,phone-number,jssdk");
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        session = AdminSession.login(http, base(), admin);
        secrets.addAll(List.of(mini.secret(), corp.secret(), client.key(), admin.password(),
                TestInfrastructure.get().dbPassword()));
        for (String key : TestInfrastructure.get().masterKeys().split(",")) {
            secrets.add(key.substring(key.indexOf(':') + 1));
        }
        for (Credential credential : List.of(mini, corp)) {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(base() + credential.path()))
                    .header("Authorization", "Bearer " + client.key()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            tokens.add(JSON.readTree(read.body()).get("access_token").asString());
        }
    }

    @Test
    void malformedInputNeverFailsTheServiceLeaksNothingAndChangesNothing() throws Exception {
        JsonNode spec = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<Variant> all = MalformedVariants.of(spec, bases());
        List<Variant> cases = new ArrayList<>(all);
        if (cases.size() > MAX_CASES) {
            Collections.shuffle(cases, new Random(SEED));
            cases = new ArrayList<>(cases.subList(0, MAX_CASES));
        }
        String before = session.listings(http, base(), tenant);
        AnswerChecks checks = new AnswerChecks(secrets, tokens);
        long started = System.nanoTime();
        for (Variant variant : cases) {
            checks.check(variant, send(variant));
        }
        checks.checkRaw(RawRequests.send(port, session));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String after = session.listings(http, base(), tenant);

        String report = checks.report(all.size(), cases.size(), seconds, countOperations(spec));
        System.out.println(report);
        Files.writeString(Path.of("target", "malformed-input-report.txt"), report);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(checks.failures()).as("answers that break the rules (see target/malformed-input-report.txt)").isEmpty();
            softly.assertThat(after).as("admin API listings after the malformed requests").isEqualTo(before);
        });
    }

    private AnswerChecks.Answer send(Variant variant) throws InterruptedException, IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + variant.target()))
                .timeout(Duration.ofSeconds(20))
                .method(variant.method(), variant.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(variant.body()));
        if (variant.contentType() != null) {
            request.header("Content-Type", variant.contentType());
        }
        if (variant.accept() != null) {
            request.header("Accept", variant.accept());
        }
        boolean adminPath = variant.target().startsWith("/admin");
        if (variant.auth() == Auth.AS_CALLER && adminPath) {
            session.authenticate(request);
        } else if (variant.auth() == Auth.AS_CALLER && variant.target().startsWith("/v1")) {
            request.header("Authorization", "Bearer " + client.key());
        } else if (variant.auth() == Auth.WRONG) {
            request.header("Authorization", adminPath
                    ? "Basic " + Base64.getEncoder().encodeToString((admin.username() + ":wrong-password").getBytes(StandardCharsets.UTF_8))
                    : "Bearer tck_c0123456789abcdef_" + "A".repeat(43));
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new AnswerChecks.Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            if (e instanceof HttpTimeoutException) {
                writeThreadDump(variant);
            }
            return new AnswerChecks.Answer(-1, Map.of(), e.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request without an answer: what every thread was doing, for telling a blocked event loop from a stalled connection. */
    private static void writeThreadDump(Variant variant) throws IOException {
        StringBuilder dump = new StringBuilder(variant.method() + " " + variant.target() + "\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('\n').append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement element : stack) {
                dump.append("    at ").append(element).append('\n');
            }
        });
        Files.writeString(Path.of("target", "malformed-input-no-answer-" + System.nanoTime() + ".txt"), dump.toString());
    }

    /** Base requests: existing ids and current values, so that a variant accepted after all changes nothing. */
    private MalformedVariants.Bases bases() {
        Map<String, String> path = Map.of("tenant", tenant, "app", "mini", "env", "prod", "clientId", client.clientId(),
                "username", admin.username(), "session", "A".repeat(43));
        Map<String, String> query = Map.of("grant_type", "client_credential", "appid", mini.appid(), "secret", client.key(),
                "corpid", corp.appid(), "corpsecret", client.key());
        String envs = "/admin/api/tenants/{tenant}/apps/{app}/envs/{env}";
        Map<String, JsonNode> bodies = new TreeMap<>();
        bodies.put("POST /admin/api/tenants", NODES.objectNode().put("id", tenant).put("name", "Existing"));
        bodies.put("POST /admin/api/tenants/{tenant}/apps", NODES.objectNode().put("id", "mini").put("name", "Existing")
                .put("platform", "WECHAT_MINIPROGRAM"));
        bodies.put("PUT " + envs, NODES.objectNode().put("appid", mini.appid()).put("secret", mini.secret())
                .put("production", true).put("token_mode", "STABLE").put("enabled", true));
        // a rotation to any valid secret changes the credential: the base secret is one character too long
        bodies.put("POST " + envs + "/secret", NODES.objectNode().put("secret", "s".repeat(129)));
        bodies.put("POST /admin/api/tenants/{tenant}/clients", NODES.objectNode().put("name", "never-created")
                .set("grants", NODES.arrayNode().add(NODES.objectNode().put("app", "no-such-app").put("env", "*"))));
        // renames to the current names, grants naming no app (refused), the role the admin has: nothing changes
        bodies.put("PATCH /admin/api/tenants/{tenant}", NODES.objectNode().put("name", "Tenant " + tenant));
        bodies.put("PATCH /admin/api/tenants/{tenant}/apps/{app}", NODES.objectNode().put("name", "App mini"));
        bodies.put("PUT /admin/api/tenants/{tenant}/clients/{clientId}/grants", NODES.objectNode().set("grants",
                NODES.arrayNode().add(NODES.objectNode().put("app", "no-such-app").put("env", "*")
                        .set("rights", NODES.arrayNode().add("token")))));
        bodies.put("PATCH /admin/api/admin-users/{username}", NODES.objectNode().put("role", "ADMIN"));
        bodies.put("POST /admin/api/admin-users", NODES.objectNode().put("username", admin.username())
                .put("password", "an-existing-user").put("role", "VIEWER"));
        bodies.put("POST /v1/tokens/{tenant}/{app}/{env}/invalidate", NODES.objectNode().put("access_token", "86_not-current"));
        // mini program: codes WeChat does not know, data of a session that does not exist
        String miniProgram = "/v1/miniprogram/{tenant}/{app}/{env}";
        bodies.put("POST " + miniProgram + "/sessions", NODES.objectNode().put("code", "not-a-login-code"));
        bodies.put("POST " + miniProgram + "/sessions/{session}/decrypt", NODES.objectNode()
                .put("encrypted_data", "AAAAAAAAAAAAAAAAAAAAAA==").put("iv", "AAAAAAAAAAAAAAAAAAAAAA=="));
        bodies.put("POST " + miniProgram + "/phone-number", NODES.objectNode().put("code", "not-a-phone-code"));
        bodies.put("POST /v1/jssdk/{tenant}/{app}/{env}/signature", NODES.objectNode().put("url", "https://shop.example.com/pay?a=1"));
        bodies.put("POST /cgi-bin/stable_token", NODES.objectNode().put("grant_type", "client_credential")
                .put("appid", mini.appid()).put("secret", client.key()).put("force_refresh", false));
        return new MalformedVariants.Bases(path, query, bodies);
    }

    private static int countOperations(JsonNode spec) {
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : spec.get("paths").properties()) {
            operations += path.getValue().size();
        }
        return operations;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
