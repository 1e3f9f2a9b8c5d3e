package dev.tokencenter.admin;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.audit.RefusalAudit;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.tokencenter.admin.AdminApiTestSupport.secret;
import static dev.tokencenter.admin.AdminApiTestSupport.slug;
import static dev.tokencenter.admin.AdminApiTestSupport.wechatAppid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin endpoint against every role: anonymous gets 401, a role below the endpoint's gets 403 and changes
 * nothing, the endpoint's role and the roles above it succeed.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

    /** An endpoint: who may call it, and how to make one fresh call (creating whatever the call consumes). */
    record Endpoint(String name, AdminRole minimum, int success, boolean ownedElsewhere, Supplier<Call> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Call(HttpMethod method, String path, Object body) {
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TenantService tenants;

    @Autowired
    AppService apps;

    @Autowired
    EnvironmentService environments;

    @Autowired
    ApiClientService clients;

    @Autowired
    AdminUserService adminUsers;

    final Map<AdminRole, Login> users = new EnumMap<>(AdminRole.class);
    String tenant;

    @BeforeAll
    void createUsersAndFixture() {
        for (AdminRole role : AdminRole.values()) {
            users.put(role, AdminApiTestSupport.user(context, role));
        }
        tenant = slug("roles");
        tenants.createTenant("test", tenant, "Roles");
        apps.createApp("test", tenant, "shop", "Shop", Platform.WECHAT_MINIPROGRAM);
        environments.putEnvironment("test", tenant, "shop", "prod",
                EnvironmentSpec.of(wechatAppid(), secret(), false, TokenMode.STABLE, false, null));
    }

    List<Endpoint> endpoints() {
        String t = "/admin/api/tenants/" + tenant;
        String shop = t + "/apps/shop";
        return List.of(
                read("who am I", "/admin/api/me"),
                read("list tenants", "/admin/api/tenants"),
                read("get tenant", t),
                write("create tenant", AdminRole.OPERATOR, 201, () -> new Call(HttpMethod.POST, "/admin/api/tenants",
                        Map.of("id", slug("t"), "name", "T"))),
                read("list apps", t + "/apps"),
                read("get app", shop),
                write("create app", AdminRole.OPERATOR, 201, () -> new Call(HttpMethod.POST, t + "/apps",
                        Map.of("id", slug("app"), "name", "A", "platform", "WECOM"))),
                write("delete app", AdminRole.OPERATOR, 204, () -> {
                    String app = slug("gone");
                    apps.createApp("test", tenant, app, "Gone", Platform.WECHAT_OFFICIAL_ACCOUNT);
                    return new Call(HttpMethod.DELETE, t + "/apps/" + app, null);
                }),
                read("list environments", shop + "/envs"),
                read("get environment", shop + "/envs/prod"),
                write("put environment", AdminRole.OPERATOR, 201, () -> new Call(HttpMethod.PUT, shop + "/envs/" + slug("env"),
                        Map.of("appid", wechatAppid(), "secret", secret(), "enabled", false))),
                write("rotate secret", AdminRole.OPERATOR, 200, () -> new Call(HttpMethod.POST, shop + "/envs/prod/secret",
                        Map.of("secret", secret()))),
                write("delete environment", AdminRole.OPERATOR, 204, () -> {
                    String env = slug("gone");
                    environments.putEnvironment("test", tenant, "shop", env,
                            EnvironmentSpec.of(wechatAppid(), secret(), false, TokenMode.STABLE, false, null));
                    return new Call(HttpMethod.DELETE, shop + "/envs/" + env, null);
                }),
                read("list clients", t + "/clients"),
                write("create client", AdminRole.OPERATOR, 201, () -> new Call(HttpMethod.POST, t + "/clients",
                        Map.of("name", "svc", "grants", List.of(Map.of("app", "shop", "env", "*"))))),
                write("revoke client", AdminRole.OPERATOR, 204, () -> {
                    String id = clients.createClient("test", tenant, "svc", List.of(new ClientGrant("*", "*"))).clientId();
                    return new Call(HttpMethod.DELETE, t + "/clients/" + id, null);
                }),
                read("audit", "/admin/api/audit?tenant=" + tenant),
                write("list admin users", AdminRole.ADMIN, 200, () -> new Call(HttpMethod.GET, "/admin/api/admin-users", null)),
                write("create admin user", AdminRole.ADMIN, 201, () -> new Call(HttpMethod.POST, "/admin/api/admin-users",
                        Map.of("username", slug("user"), "password", "long-enough-" + secret(), "role", "VIEWER"))),
                write("delete admin user", AdminRole.ADMIN, 204, () -> {
                    String username = slug("doomed");
                    adminUsers.ensureAdminUser("test", username, "long-enough-" + secret(), AdminRole.VIEWER);
                    return new Call(HttpMethod.DELETE, "/admin/api/admin-users/" + username, null);
                }),
                write("key status", AdminRole.ADMIN, 200, () -> new Call(HttpMethod.GET, "/admin/api/keys", null)),
                write("re-wrap", AdminRole.ADMIN, 200, () -> new Call(HttpMethod.POST, "/admin/api/keys/rewrap", null)),
                new Endpoint("status (refresh engine)", AdminRole.VIEWER, 200, true,
                        () -> new Call(HttpMethod.GET, "/admin/api/status", null)),
                new Endpoint("refresh (refresh engine)", AdminRole.OPERATOR, 200, true,
                        () -> new Call(HttpMethod.POST, shop + "/envs/prod/refresh", null)));
    }

    Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            cases.add(Arguments.of(endpoint, "anonymous"));
            for (AdminRole role : AdminRole.values()) {
                cases.add(Arguments.of(endpoint, role.name()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void roleMatrixHolds(Endpoint endpoint, String caller) {
        Call call = endpoint.call().get();
        WebTestClient.RequestBodySpec request = AdminApiTestSupport.client(port).method(call.method()).uri(call.path());
        Login login = caller.equals("anonymous") ? null : users.get(AdminRole.valueOf(caller));
        if (login != null) {
            request.headers(login.basic());
        }
        long changesBefore = changesBy(login);
        WebTestClient.RequestHeadersSpec<?> ready = call.body() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
        EntityExchangeResult<String> result = ready.exchange().expectBody(String.class).returnResult();
        int status = result.getStatus().value();

        if (login == null) {
            assertThat(status).as(result.toString()).isEqualTo(401);
        } else if (AdminRole.valueOf(caller).compareTo(endpoint.minimum()) < 0) {
            assertThat(status).as(result.toString()).isEqualTo(403);
            assertThat(result.getResponseBody()).contains("https://token-center.dev/problems/forbidden");
        } else if (endpoint.ownedElsewhere()) {
            assertThat(status).as(result.toString()).isNotIn(401, 403);
        } else {
            assertThat(status).as(result.toString()).isEqualTo(endpoint.success());
        }
        if (login == null || AdminRole.valueOf(caller).compareTo(endpoint.minimum()) < 0) {
            assertThat(changesBy(login)).as("audit events written by a refused call").isEqualTo(changesBefore);
        }
    }

    private long changesBy(Login login) {
        return login == null
                ? jdbc.queryForObject("select count(*) from audit_event where tenant_id = ?", Long.class, tenant)
                : jdbc.queryForObject("select count(*) from audit_event where actor = ? and action not like ?",
                Long.class, login.username(), RefusalAudit.ACTION + "%");
    }

    private Endpoint read(String name, String path) {
        return new Endpoint(name, AdminRole.VIEWER, 200, false, () -> new Call(HttpMethod.GET, path, null));
    }

    private Endpoint write(String name, AdminRole minimum, int success, Supplier<Call> call) {
        return new Endpoint(name, minimum, success, false, call);
    }
}
