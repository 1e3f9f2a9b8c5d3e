package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.audit.RefusalAudit;
import dev.tokencenter.audit.RefusalAuditProperties;
import dev.tokencenter.security.SessionLogins.Session;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No state-changing admin route can be driven from another site: whether the browser carries a session (even with the
 * CSRF token), Basic credentials it cached, or marks the request with Sec-Fetch-Site or only with Origin, the answer
 * is a 403 problem and nothing changes. The same requests from a non-browser client succeed, which shows that every
 * route listed is real.
 */
@IntegrationTest
class CrossSiteRequestTest {

    private static final String EVIL = "https://evil.example";

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RefusalAuditProperties auditLimits;

    String address;
    WebTestClient http;
    Login admin;
    Login victim;
    String tenant;
    Credential prod;
    CreatedClient client;

    record Route(String name, HttpMethod method, String path, Object body) {
        @Override
        public String toString() {
            return name + " (" + method + " " + path + ")";
        }
    }

    @BeforeEach
    void setUp() {
        address = LoopbackClients.newAddress();
        http = LoopbackClients.from(address, port);
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        victim = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        TokenApiFixture fixture = new TokenApiFixture(context);
        tenant = fixture.tenant();
        prod = fixture.wechat(tenant, "shop", "prod");
        client = fixture.client(tenant, "shop/prod");
    }

    List<Route> routes() {
        String t = "/admin/api/tenants/" + tenant;
        String env = t + "/apps/shop/envs/prod";
        String newUser = AdminApiTestSupport.slug("xsite");
        return List.of(
                new Route("create tenant", HttpMethod.POST, "/admin/api/tenants",
                        Map.of("id", AdminApiTestSupport.slug("xsite"), "name", "x")),
                new Route("create app", HttpMethod.POST, t + "/apps",
                        Map.of("id", "extra", "name", "Extra", "platform", "WECOM")),
                new Route("put environment", HttpMethod.PUT, t + "/apps/shop/envs/test",
                        Map.of("appid", wechatAppid(), "secret", secret(), "production", false)),
                // refreshed before the secret is rotated to one WeChat does not know (which stops the credential)
                new Route("refresh token", HttpMethod.POST, env + "/refresh", null),
                new Route("retry credential", HttpMethod.POST, env + "/retry", null),
                new Route("rotate secret", HttpMethod.POST, env + "/secret", Map.of("secret", secret())),
                new Route("create client", HttpMethod.POST, t + "/clients",
                        Map.of("name", "svc", "grants", List.of(Map.of("app", "shop", "env", "prod")))),
                new Route("edit client grants", HttpMethod.PUT, t + "/clients/" + client.clientId() + "/grants",
                        Map.of("grants", List.of(Map.of("app", "shop", "env", "prod", "rights", List.of("token", "jssdk"))))),
                new Route("revoke client", HttpMethod.DELETE, t + "/clients/" + client.clientId(), null),
                new Route("delete environment", HttpMethod.DELETE, t + "/apps/shop/envs/test", null),
                new Route("delete app", HttpMethod.DELETE, t + "/apps/extra", null),
                new Route("create admin user", HttpMethod.POST, "/admin/api/admin-users",
                        Map.of("username", newUser, "password", "long-enough-" + secret(), "role", "VIEWER")),
                new Route("change admin user role", HttpMethod.PATCH, "/admin/api/admin-users/" + newUser,
                        Map.of("role", "OPERATOR")),
                new Route("delete admin user", HttpMethod.DELETE, "/admin/api/admin-users/" + victim.username(), null),
                new Route("re-wrap master keys", HttpMethod.POST, "/admin/api/keys/rewrap", null),
                new Route("patch tenant", HttpMethod.PATCH, t, Map.of("name", "y")),
                new Route("rename app", HttpMethod.PATCH, t + "/apps/shop", Map.of("name", "Shop renamed")),
                new Route("delete tenant", HttpMethod.DELETE, t, null),
                new Route("logout", HttpMethod.POST, "/admin/logout", null));
    }

    @Test
    void crossSiteRequestsToEveryStateChangingRouteAreRefusedAndChangeNothing() {
        Session session = SessionLogins.login(http, admin.username(), admin.password());
        String before = state();
        int refused = 0;
        for (Route route : routes()) {
            List<Consumer<HttpHeaders>> browsers = List.of(
                    h -> sessionWithToken(h, session).andThen(site("cross-site")).accept(h),
                    h -> sessionWithToken(h, session).andThen(site("same-site")).accept(h),
                    h -> admin.basic().andThen(site("cross-site")).accept(h),
                    h -> admin.basic().andThen(hh -> hh.setOrigin(EVIL)).accept(h),
                    h -> sessionWithToken(h, session).andThen(hh -> hh.setOrigin("null")).accept(h));
            for (Consumer<HttpHeaders> browser : browsers) {
                EntityExchangeResult<String> result = send(route, browser);
                assertThat(result.getStatus().value()).as(route + " " + result).isEqualTo(403);
                assertThat(result.getResponseBody()).as(route.toString())
                        .contains("https://token-center.dev/problems/cross-site-request");
                refused++;
            }
        }
        EntityExchangeResult<String> login = http.post().uri("/admin/login")
                .headers(h -> sessionWithToken(h, session).andThen(site("cross-site")).accept(h))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(SessionLogins.form(victim.username(), victim.password())))
                .exchange().expectBody(String.class).returnResult();
        assertThat(login.getStatus().value()).isEqualTo(403);
        assertThat(login.getResponseCookies().getFirst("SESSION")).isNull();

        assertThat(state()).as("nothing changed").isEqualTo(before);
        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange().expectStatus().isOk();

        // audited, but at most maxPerSource records per address and reason and window (a test spans at most two)
        int expected = refused;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(refusalRecords())
                .isGreaterThanOrEqualTo(Math.min(expected, auditLimits.maxPerSource())));
        assertThat(refusalRecords()).isLessThanOrEqualTo(2L * auditLimits.maxPerSource());

        // the same requests from a non-browser client do change things: every route above exists
        // (logout needs the CSRF token of its session whoever sends it)
        for (Route route : routes()) {
            int status = send(route, route.name().equals("logout") ? h -> sessionWithToken(h, session).accept(h)
                    : admin.basic()).getStatus().value();
            assertThat(status).as(route.toString()).isNotIn(401, 403);
            if (!route.name().equals("patch tenant") && !route.name().equals("delete tenant")
                    && !route.name().equals("retry credential")) {
                assertThat(status).as(route.toString()).isBetween(200, 299);
            }
        }
        http.get().uri("/admin/api/me").cookie("SESSION", session.id()).exchange().expectStatus().isUnauthorized();
        assertThat(state()).isNotEqualTo(before);
    }

    @Test
    void aBrowserNeedsTheCsrfTokenEvenWithBasicCredentialsFromItsOwnSite() {
        Session session = SessionLogins.login(http, admin.username(), admin.password());
        Route create = new Route("create tenant", HttpMethod.POST, "/admin/api/tenants",
                Map.of("id", AdminApiTestSupport.slug("xsite"), "name", "x"));
        for (Consumer<HttpHeaders> browser : List.<Consumer<HttpHeaders>>of(
                h -> h.set(HttpHeaders.COOKIE, "SESSION=" + session.id()),
                h -> admin.basic().andThen(site("same-origin")).accept(h),
                h -> admin.basic().andThen(hh -> hh.setOrigin("http://127.0.0.1:" + port)).accept(h))) {
            EntityExchangeResult<String> result = send(create, browser);
            assertThat(result.getStatus().value()).as(result.toString()).isEqualTo(403);
            assertThat(result.getResponseBody()).contains("https://token-center.dev/problems/csrf");
        }
        assertThat(send(create, h -> sessionWithToken(h, session).andThen(site("same-origin")).accept(h))
                .getStatus().value()).isEqualTo(201);
    }

    @Test
    void otherSitesGetNoCorsPermissionAndTheTokenApiTakesNoAmbientCredentials() {
        for (String path : List.of("/admin/api/tenants", prod.path() + "/invalidate")) {
            http.options().uri(path).header(HttpHeaders.ORIGIN, EVIL)
                    .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange()
                    .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        }
        String before = state();
        http.post().uri(prod.path() + "/invalidate").header(HttpHeaders.ORIGIN, EVIL).header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("access_token", "anything")).exchange()
                .expectStatus().isUnauthorized();
        assertThat(state()).isEqualTo(before);
    }

    private EntityExchangeResult<String> send(Route route, Consumer<HttpHeaders> headers) {
        WebTestClient.RequestBodySpec request = http.method(route.method()).uri(route.path()).headers(headers);
        WebTestClient.RequestHeadersSpec<?> ready = route.body() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(route.body());
        return ready.exchange().expectBody(String.class).returnResult();
    }

    private static Consumer<HttpHeaders> sessionWithToken(HttpHeaders headers, Session session) {
        return h -> {
            h.set(HttpHeaders.COOKIE, "SESSION=" + session.id() + "; XSRF-TOKEN=" + session.csrf());
            h.set("X-XSRF-TOKEN", session.csrf());
        };
    }

    private static Consumer<HttpHeaders> site(String site) {
        return h -> h.set("Sec-Fetch-Site", site);
    }

    private long refusalRecords() {
        return jdbc.queryForObject("""
                select count(*) from audit_event where action = ? and details->>'address' = ?
                   and details->>'reason' = 'cross-site-request'""", Long.class, RefusalAudit.ACTION, address);
    }

    /** Everything the routes could change, as text. */
    private String state() {
        List<String> parts = new ArrayList<>();
        parts.add(jdbc.queryForList("select t::text from tenant t order by id", String.class).toString());
        parts.add(jdbc.queryForList("select a::text from app a where tenant_id = ? order by id", String.class, tenant).toString());
        parts.add(jdbc.queryForList("""
                select e::text || c::text
                  from environment e join credential c on c.environment_id = e.id join app a on a.id = e.app_id
                 where a.tenant_id = ? order by e.id""", String.class, tenant).toString());
        parts.add(jdbc.queryForList("select c::text from api_client c where tenant_id = ? order by id", String.class, tenant)
                .toString());
        parts.add(jdbc.queryForList("select username || role || enabled from admin_user order by username", String.class)
                .toString());
        // refreshes, retries and re-wraps leave no row above but always an audit event of their actor
        parts.add(jdbc.queryForObject("select count(*) from audit_event where actor = ? and action not like ?",
                String.class, admin.username(), RefusalAudit.ACTION + "%"));
        return String.join("\n", parts);
    }
}
