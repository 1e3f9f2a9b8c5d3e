package dev.tokencenter.registry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.support.TokenStateRows;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    private static final Map<String, Level> VERBOSE = Map.of(
            "org.springframework.web", Level.TRACE,
            "org.springframework.http", Level.TRACE,
            "org.springframework.security", Level.TRACE,
            "org.springframework.jdbc", Level.TRACE,
            "org.springframework.transaction", Level.DEBUG,
            "org.hibernate.SQL", Level.DEBUG,
            "org.hibernate.orm.jdbc.bind", Level.TRACE,
            "reactor.netty", Level.DEBUG,
            "dev.tokencenter", Level.TRACE);

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

    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Map<String, Level> previousLevels = new LinkedHashMap<>();
    final List<String> responses = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        VERBOSE.forEach((name, level) -> {
            Logger logger = loggers.getLogger(name);
            previousLevels.put(name, logger.getLevel());
            logger.setLevel(level);
        });
        logs.start();
        loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
    }

    @AfterEach
    void restoreLogs() {
        stopCapturing();
    }

    private void stopCapturing() {
        LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
        loggers.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        previousLevels.forEach((name, level) -> loggers.getLogger(name).setLevel(level));
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

        stopCapturing();
        assertThat(jdbc.queryForObject("select count(*) from credential c join environment e on e.id = c.environment_id"
                + " join app a on a.id = e.app_id where a.tenant_id = ?", Integer.class, tenant)).isEqualTo(2);
        assertThat(columnsContaining(key)).as("columns holding a client key").isEmpty();
        assertThat(logLinesContaining(key)).as("log lines holding a client key").isEmpty();
        assertThat(responses).noneMatch(response -> response.contains(key));
        for (String secret : secrets) {
            assertThat(columnsContaining(secret)).as("columns holding a secret").isEmpty();
            assertThat(logLinesContaining(secret)).as("log lines holding a secret").isEmpty();
            for (String form : forms(secret)) {
                assertThat(responses).as("responses").noneMatch(response -> response.contains(form));
            }
        }
        assertThat(logs.list).as("verbose logging was captured").hasSizeGreaterThan(50);
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

    /** The secret as UTF-8 text, standard and URL-safe base64 (with and without padding) and hex. */
    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret,
                Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes));
    }

    private List<String> columnsContaining(String secret) {
        List<String> hits = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                select c.table_name, c.column_name, c.data_type from information_schema.columns c
                  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
                 where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
                 order by c.table_name, c.ordinal_position""");
        assertThat(columns).extracting(c -> c.get("table_name"))
                .contains("credential", "api_client", "admin_user", "audit_event", "token_state");
        for (Map<String, Object> column : columns) {
            String table = "\"" + column.get("table_name") + "\"";
            String name = "\"" + column.get("column_name") + "\"";
            for (String form : forms(secret)) {
                Integer count = "bytea".equals(column.get("data_type"))
                        ? jdbc.queryForObject("select count(*) from " + table + " where position(? in " + name + ") > 0"
                                + " or position(? in encode(" + name + ", 'escape')) > 0"
                                + " or position(? in encode(" + name + ", 'hex')) > 0",
                        Integer.class, form.getBytes(StandardCharsets.UTF_8), form, form)
                        : jdbc.queryForObject("select count(*) from " + table + " where position(? in " + name + "::text) > 0",
                        Integer.class, form);
                if (count != null && count > 0) {
                    hits.add(column.get("table_name") + "." + column.get("column_name"));
                }
            }
        }
        return hits;
    }

    private List<String> logLinesContaining(String secret) {
        List<String> hits = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            text.append(event.getMDCPropertyMap());
            for (String form : forms(secret)) {
                if (text.indexOf(form) >= 0) {
                    hits.add(event.getLoggerName() + ": " + event.getFormattedMessage());
                }
            }
        }
        return hits;
    }
}
