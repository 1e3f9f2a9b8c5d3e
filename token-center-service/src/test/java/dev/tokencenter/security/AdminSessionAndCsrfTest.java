package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import java.util.List;
import java.util.Map;

import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static org.assertj.core.api.Assertions.assertThat;

/** Session login for the UI with CSRF protection, HTTP Basic for automation, and what is public. */
@IntegrationTest
class AdminSessionAndCsrfTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient http;
    Login operator;

    @BeforeEach
    void setUp() {
        http = AdminApiTestSupport.client(port);
        operator = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
    }

    @Test
    void unauthenticatedRequestsGet401WithoutABasicChallenge() {
        var result = http.get().uri("/admin/api/tenants").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody(String.class).returnResult();
        assertThat(result.getResponseBody()).contains("https://token-center.dev/problems/unauthenticated");
        assertThat(result.getResponseCookies().getFirst("XSRF-TOKEN")).isNotNull();

        http.get().uri("/admin/api/tenants").header("X-Requested-With", "XMLHttpRequest").exchange()
                .expectStatus().isUnauthorized().expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
        http.get().uri("/admin/api/tenants").headers(h -> h.setBasicAuth(operator.username(), "wrong-password")).exchange()
                .expectStatus().isUnauthorized().expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void sessionWritesNeedTheCsrfToken() {
        Session session = login(operator);
        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.username").isEqualTo(operator.username())
                .jsonPath("$.roles").isEqualTo(List.of("OPERATOR", "VIEWER"));

        String withoutToken = slug("csrf");
        http.post().uri("/admin/api/tenants").cookie("SESSION", session.id()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", withoutToken, "name", "x")).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/csrf");
        http.post().uri("/admin/api/tenants").cookie("SESSION", session.id()).cookie("XSRF-TOKEN", session.csrf())
                .header("X-XSRF-TOKEN", "not-the-token").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", withoutToken, "name", "x")).exchange()
                .expectStatus().isForbidden();
        assertThat(tenantExists(withoutToken)).isFalse();

        String withToken = slug("csrf");
        http.post().uri("/admin/api/tenants").cookie("SESSION", session.id()).cookie("XSRF-TOKEN", session.csrf())
                .header("X-XSRF-TOKEN", session.csrf()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", withToken, "name", "x")).exchange()
                .expectStatus().isCreated();
        assertThat(jdbc.queryForObject("select actor from audit_event where tenant_id = ? and action = 'tenant.create'",
                String.class, withToken)).isEqualTo(operator.username());
    }

    @Test
    void basicRequestsSkipCsrfUnlessABrowserSendsThemFromAnotherSite() {
        String tenant = slug("basic");
        http.post().uri("/admin/api/tenants").headers(operator.basic()).header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("id", tenant, "name", "x")).exchange()
                .expectStatus().isForbidden();
        assertThat(tenantExists(tenant)).isFalse();

        var created = http.post().uri("/admin/api/tenants").headers(operator.basic())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("id", tenant, "name", "x")).exchange()
                .expectStatus().isCreated().returnResult(String.class);
        assertThat(created.getResponseCookies().getFirst("SESSION")).as("Basic creates no session").isNull();
    }

    @Test
    void loginNeedsTheCsrfTokenAndTheRightPassword() {
        String csrf = csrfToken();
        http.post().uri("/admin/login").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(operator.username(), operator.password()))).exchange()
                .expectStatus().isForbidden();
        http.post().uri("/admin/login").cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(operator.username(), "wrong-password"))).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/login-failed");
    }

    @Test
    void logoutEndsTheSession() {
        Session session = login(operator);
        http.post().uri("/admin/logout").cookie("SESSION", session.id()).cookie("XSRF-TOKEN", session.csrf())
                .header("X-XSRF-TOKEN", session.csrf()).exchange()
                .expectStatus().isNoContent();
        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void loginIssuesANewSessionId() {
        Session first = login(operator);
        String csrf = csrfToken();
        var second = http.post().uri("/admin/login").cookie("SESSION", first.id()).cookie("XSRF-TOKEN", csrf)
                .header("X-XSRF-TOKEN", csrf).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(operator.username(), operator.password()))).exchange()
                .expectStatus().isOk().returnResult(String.class);
        ResponseCookie renewed = second.getResponseCookies().getFirst("SESSION");
        assertThat(renewed).isNotNull();
        assertThat(renewed.getValue()).isNotEqualTo(first.id());
        http.get().uri("/admin/api/me").cookie("SESSION", first.id()).exchange().expectStatus().isUnauthorized();
        http.get().uri("/admin/api/me").cookie("SESSION", renewed.getValue()).exchange().expectStatus().isOk();
    }

    @Test
    void aDeletedUserLosesItsSessionAtOnce() {
        Login doomed = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        Session session = login(doomed);
        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange().expectStatus().isOk();

        context.getBean(AdminUserService.class).deleteAdminUser("test", doomed.username());

        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theStaticUiAndTheOpenApiDocumentArePublic() {
        http.get().uri("/admin/index.html").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.paths['/admin/api/tenants'].post").exists()
                .jsonPath("$.paths['/admin/api/tenants/{tenant}/apps/{app}/envs/{env}'].put").exists()
                .jsonPath("$.paths['/admin/api/tenants/{tenant}/clients'].post").exists()
                .jsonPath("$.paths['/admin/api/audit'].get").exists()
                .jsonPath("$.paths['/admin/api/keys/rewrap'].post").exists()
                .jsonPath("$.components.schemas.EnvironmentSpec.properties.token_mode").exists()
                .jsonPath("$.components.schemas.EnvironmentView.properties.secret_hint").exists()
                .jsonPath("$.components.schemas.EnvironmentView.properties.secret").doesNotExist();
    }

    record Session(String id, String csrf) {
    }

    private Session login(Login login) {
        String csrf = csrfToken();
        EntityExchangeResult<String> result = http.post().uri("/admin/login").cookie("XSRF-TOKEN", csrf)
                .header("X-XSRF-TOKEN", csrf).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form(login.username(), login.password()))).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult();
        assertThat(result.getResponseBody()).contains("\"username\":\"" + login.username() + "\"");
        ResponseCookie session = result.getResponseCookies().getFirst("SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        ResponseCookie newCsrf = result.getResponseCookies().getFirst("XSRF-TOKEN");
        return new Session(session.getValue(), newCsrf != null && !newCsrf.getValue().isEmpty() ? newCsrf.getValue() : csrf);
    }

    private String csrfToken() {
        ResponseCookie cookie = http.get().uri("/admin/index.html").exchange().returnResult(String.class)
                .getResponseCookies().getFirst("XSRF-TOKEN");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isFalse();
        return cookie.getValue();
    }

    private static LinkedMultiValueMap<String, String> form(String username, String password) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", username);
        form.add("password", password);
        return form;
    }

    private boolean tenantExists(String tenant) {
        return jdbc.queryForObject("select count(*) from tenant where id = ?", Integer.class, tenant) > 0;
    }
}
