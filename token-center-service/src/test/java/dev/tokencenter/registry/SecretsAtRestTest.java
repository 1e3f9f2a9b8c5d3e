package dev.tokencenter.registry;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.support.TokenStateRows;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.LeakSearch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static dev.tokencenter.admin.AdminApiTestSupport.wecomCorpId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After credentials, client keys and admin passwords go through the admin API (with verbose logging switched on),
 * no column of any table holds a secret, in plain text, base64 or hex, and no log line or response shows one.
 */
@IntegrationTest
class SecretsAtRestTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EnvelopeCipher cipher;

    @Autowired
    ObjectMapper objectMapper;

    final List<String> responses = new ArrayList<>();
    LeakSearch.Logs logs;

    @BeforeEach
    void captureLogs() {
        logs = LeakSearch.Logs.captureVerbose();
    }

    @AfterEach
    void restoreLogs() {
        logs.stop();
    }

    @Test
    void noSecretInAnyColumnLogLineOrResponse() {
        WebTestClient http = AdminApiTestSupport.client(port);
        Login admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        String tenant = slug("rest");
        List<String> secrets = new ArrayList<>();

        send(http.post().uri("/admin/api/tenants").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("id", tenant, "name", "At rest"))), 201);
        String apps = "/admin/api/tenants/" + tenant + "/apps";
        send(http.post().uri(apps).headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("id", "mini", "name", "Mini", "platform", "WECHAT_MINIPROGRAM"))), 201);
        send(http.post().uri(apps).headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("id", "corp", "name", "Corp", "platform", "WECOM"))), 201);

        String miniSecret = remember(secrets, secret());
        String miniEnv = apps + "/mini/envs/prod";
        Map<String, Object> mini = Map.of("appid", wechatAppid(), "secret", miniSecret, "production", true);
        send(http.put().uri(miniEnv).headers(admin.basic()).contentType(MediaType.APPLICATION_JSON).bodyValue(json(mini)), 201);
        send(http.put().uri(miniEnv).headers(admin.basic()).contentType(MediaType.APPLICATION_JSON).bodyValue(json(mini)), 200);
        String rotated = remember(secrets, secret());
        send(http.post().uri(miniEnv + "/secret").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("secret", rotated))), 200);
        String wecomSecret = remember(secrets, secret() + secret().substring(0, 11));
        send(http.put().uri(apps + "/corp/envs/prod").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("appid", wecomCorpId(), "secret", wecomSecret, "agent_id", "1000002"))), 201);

        String rejected = remember(secrets, secret());
        send(http.put().uri(apps + "/mini/envs/bad").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("appid", "not-an-appid", "secret", rejected))), 400);
        String tooLong = remember(secrets, "L" + secret().repeat(5));
        send(http.post().uri(miniEnv + "/secret").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("secret", tooLong))), 400);
        send(http.put().uri(apps + "/mini/envs/typed").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("appid", wechatAppid(), "secret", remember(secrets, secret()), "production", "perhaps"))), 400);

        var created = send(http.post().uri("/admin/api/tenants/" + tenant + "/clients").headers(admin.basic())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", "svc", "grants", List.of(Map.of("app", "mini", "env", "prod"))))), 201);
        String key = created.substring(created.indexOf("tck_"), created.indexOf('"', created.indexOf("tck_")));
        responses.remove(responses.size() - 1); // the creation response is the one place a client key is shown

        String password = remember(secrets, "pw-" + secret());
        String username = slug("op");
        send(http.post().uri("/admin/api/admin-users").headers(admin.basic()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("username", username, "password", password, "role", "OPERATOR"))), 201);
        loginWithSession(http, username, password);
        secrets.add(admin.password());

        long envId = jdbc.queryForObject("""
                select e.id from environment e join app a on a.id = e.app_id
                 where a.tenant_id = ? and a.slug = 'mini' and e.name = 'prod'""", Long.class, tenant);
        String token = remember(secrets, "TOKEN_" + secret() + secret());
        long upstreamId = TokenStateRows.upstreamIdOf(jdbc, envId);
        Envelope sealedToken = cipher.seal(token, "token:" + upstreamId);
        TokenStateRows.plantToken(jdbc, upstreamId, sealedToken.toBytes(), sealedToken.keyId());

        logs.stop();
        Map<String, List<String>> database = LeakSearch.databaseContents(jdbc);
        assertThat(database).containsKeys("credential.secret_envelope", "api_client.key_hash", "admin_user.password_hash",
                "audit_event.details", "token_state.token_envelope");
        assertThat(jdbc.queryForObject("select count(*) from credential c join environment e on e.id = c.environment_id"
                + " join app a on a.id = e.app_id where a.tenant_id = ?", Integer.class, tenant)).isEqualTo(2);
        assertThat(LeakSearch.columnsContaining(database, key)).as("columns holding a client key").isEmpty();
        assertThat(logs.linesContaining(key)).as("log lines holding a client key").isEmpty();
        assertThat(responses).noneMatch(response -> response.contains(key));
        for (String secret : secrets) {
            assertThat(LeakSearch.columnsContaining(database, secret)).as("columns holding a secret").isEmpty();
            assertThat(logs.linesContaining(secret)).as("log lines holding a secret").isEmpty();
            for (String form : LeakSearch.forms(secret)) {
                assertThat(responses).as("responses").noneMatch(response -> response.contains(form));
            }
        }
        assertThat(logs.size()).as("verbose logging was captured").isGreaterThan(50);
    }

    private byte[] json(Object body) {
        return objectMapper.writeValueAsBytes(body);
    }

    /** Bodies go out and come back as bytes, so that the test's own HTTP client logs no content. */
    private String send(WebTestClient.RequestHeadersSpec<?> request, int status) {
        EntityExchangeResult<byte[]> result = request.exchange().expectStatus().isEqualTo(status)
                .expectBody(byte[].class).returnResult();
        String body = result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
        responses.add(result.getResponseHeaders() + "\n" + body);
        return body;
    }

    private void loginWithSession(WebTestClient http, String username, String password) {
        var probe = http.get().uri("/admin/api/me").exchange().expectStatus().isUnauthorized().returnResult(String.class);
        String csrf = probe.getResponseCookies().getFirst("XSRF-TOKEN").getValue();
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", username);
        form.add("password", password);
        var login = http.post().uri("/admin/login").cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult();
        responses.add(login.getResponseHeaders() + new String(login.getResponseBody(), StandardCharsets.UTF_8));
    }

    private static String remember(List<String> secrets, String secret) {
        secrets.add(secret);
        return secret;
    }
}
