package dev.tokencenter.admin;

import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the admin API gained for the UI, over HTTP: editing a client's grants (at once, audited, validated), changing
 * an admin user's role, filtering the audit log by actor, action and time, a credential's refresh history and the
 * limits the dashboard measures against.
 */
@IntegrationTest
class AdminUiApiTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    WebTestClient http;
    TokenApiFixture fixture;
    Login operator;
    Login admin;
    String tenant;

    @BeforeEach
    void setUp() {
        http = AdminApiTestSupport.client(port);
        fixture = new TokenApiFixture(context);
        operator = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        tenant = fixture.tenant();
    }

    @Test
    void editedGrantsApplyAtOnceAreAuditedAndBadOnesChangeNothing() {
        Credential test = fixture.wechat(tenant, "shop", "test");
        Credential prod = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/test");
        String grants = "/admin/api/tenants/" + tenant + "/clients/" + client.clientId() + "/grants";
        tokenRead(test, client).expectStatus().isOk();
        tokenRead(prod, client).expectStatus().isForbidden();

        http.put().uri(grants).headers(operator.basic())
                .bodyValue(Map.of("grants", List.of(Map.of("app", "shop", "env", "prod", "rights", List.of("token", "jssdk")))))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.grants[0].env").isEqualTo("prod")
                .jsonPath("$.grants[0].rights").isEqualTo(List.of("token", "jssdk"));
        tokenRead(test, client).expectStatus().isForbidden();
        tokenRead(prod, client).expectStatus().isOk();
        assertThat(jdbc.queryForObject("select details::text from audit_event where action = 'client.grants' and target = ?",
                String.class, tenant + "/" + client.clientId())).contains("\"before\"").contains("jssdk");

        http.put().uri(grants).headers(operator.basic())
                .bodyValue(Map.of("grants", List.of(Map.of("app", "shop", "env", "prod", "rights", List.of("telepathy")))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("grants[0].rights[0]");
        http.put().uri(grants).headers(operator.basic())
                .bodyValue(Map.of("grants", List.of(Map.of("app", "nowhere", "env", "*"))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("grants[0].app");
        tokenRead(prod, client).expectStatus().isOk();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'client.grants' and target = ?",
                Long.class, tenant + "/" + client.clientId())).isEqualTo(1);

        http.put().uri(grants).headers(AdminApiTestSupport.user(context, AdminRole.VIEWER).basic())
                .bodyValue(Map.of("grants", List.of(Map.of("app", "*", "env", "*")))).exchange().expectStatus().isForbidden();
        fixture.revoke(tenant, client.clientId());
        http.put().uri(grants).headers(operator.basic()).bodyValue(Map.of("grants", List.of(Map.of("app", "*", "env", "*"))))
                .exchange().expectStatus().isEqualTo(409);
    }

    @Test
    void tenantsAndAppsAreRenamedAuditedAndKeepTheirIds() {
        fixture.wechat(tenant, "shop", "test");
        http.patch().uri("/admin/api/tenants/" + tenant).headers(operator.basic()).bodyValue(Map.of("name", "Renamed tenant"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(tenant)
                .jsonPath("$.name").isEqualTo("Renamed tenant");
        http.patch().uri("/admin/api/tenants/" + tenant + "/apps/shop").headers(operator.basic())
                .bodyValue(Map.of("name", "Renamed shop")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo("shop").jsonPath("$.name").isEqualTo("Renamed shop")
                .jsonPath("$.environments[0].name").isEqualTo("test");
        http.patch().uri("/admin/api/tenants/" + tenant).headers(operator.basic()).bodyValue(Map.of("name", " "))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("name");
        http.patch().uri("/admin/api/tenants/" + tenant + "/apps/nowhere").headers(operator.basic())
                .bodyValue(Map.of("name", "x")).exchange().expectStatus().isNotFound();
        http.patch().uri("/admin/api/tenants/" + tenant).headers(AdminApiTestSupport.user(context, AdminRole.VIEWER).basic())
                .bodyValue(Map.of("name", "Viewer's name")).exchange().expectStatus().isForbidden();
        http.get().uri("/admin/api/tenants/" + tenant).headers(operator.basic()).exchange()
                .expectBody().jsonPath("$.name").isEqualTo("Renamed tenant");
        assertThat(jdbc.queryForList("select action from audit_event where tenant_id = ? and action like '%.rename'",
                String.class, tenant)).containsExactlyInAnyOrder("tenant.rename", "app.rename");
    }

    @Test
    void aRoleChangeAppliesAtOnceButNobodyChangesTheirOwn() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        http.post().uri("/admin/api/tenants").headers(user.basic()).bodyValue(Map.of("id", AdminApiTestSupport.slug("r"), "name", "R"))
                .exchange().expectStatus().isForbidden();
        http.patch().uri("/admin/api/admin-users/" + user.username()).headers(admin.basic()).bodyValue(Map.of("role", "OPERATOR"))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("OPERATOR");
        http.post().uri("/admin/api/tenants").headers(user.basic()).bodyValue(Map.of("id", AdminApiTestSupport.slug("r"), "name", "R"))
                .exchange().expectStatus().isCreated();

        http.patch().uri("/admin/api/admin-users/" + admin.username()).headers(admin.basic()).bodyValue(Map.of("role", "VIEWER"))
                .exchange().expectStatus().isEqualTo(409);
        http.patch().uri("/admin/api/admin-users/" + user.username()).headers(admin.basic()).bodyValue(Map.of("role", "KING"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("role");
        http.patch().uri("/admin/api/admin-users/" + user.username()).headers(operator.basic()).bodyValue(Map.of("role", "ADMIN"))
                .exchange().expectStatus().isForbidden();
        assertThat(jdbc.queryForObject("select details::text from audit_event where action = 'admin-user.role' and target = ?",
                String.class, "admin-user/" + user.username())).contains("\"from\": \"VIEWER\"").contains("\"to\": \"OPERATOR\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAuditLogFiltersByActorActionAndTime() {
        Instant start = Instant.now().minusSeconds(1);
        fixture.wechat(tenant, "shop", "test");
        http.post().uri("/admin/api/tenants/" + tenant + "/clients").headers(operator.basic())
                .bodyValue(Map.of("name", "svc", "grants", List.of(Map.of("app", "shop", "env", "test"))))
                .exchange().expectStatus().isCreated();
        String base = "/admin/api/audit?tenant=" + tenant + "&since=" + start;
        http.get().uri(base + "&actor=" + operator.username()).headers(operator.basic()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.events.length()").isEqualTo(1).jsonPath("$.events[0].action").isEqualTo("client.create");
        http.get().uri(base + "&action=env.").headers(operator.basic()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.events[0].action").isEqualTo("env.create")
                .jsonPath("$.events[?(@.action == 'client.create')]").isEmpty();
        http.get().uri(base + "&until=" + start).headers(operator.basic()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.events").isEmpty();
        http.get().uri(base + "&actor=" + "a".repeat(70) + "&action=Bad Action&until=yesterday").headers(operator.basic()).exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<Object>) fields).containsExactlyInAnyOrder("actor", "action", "until"));
    }

    @Test
    void aCredentialsRefreshHistoryListsItsOutcomesNewestFirst() {
        Credential test = fixture.wechat(tenant, "shop", "test");
        CreatedClient client = fixture.client(tenant, "shop/test");
        tokenRead(test, client).expectStatus().isOk();
        String history = "/admin/api/tenants/" + tenant + "/apps/shop/envs/test/history";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> http.get().uri(history).headers(operator.basic())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.entries[0].state").isEqualTo("OK")
                .jsonPath("$.entries[0].trigger").exists()
                .jsonPath("$.entries[0].at").exists());
        http.get().uri("/admin/api/tenants/" + tenant + "/apps/shop/envs/nowhere/history").headers(operator.basic())
                .exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/credential-not-found");
        http.get().uri("/admin/api/refresh-limits").headers(operator.basic()).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.force_refresh_daily_limit").isEqualTo(20)
                .jsonPath("$.classic_daily_limit").isEqualTo(2000);
    }

    @Test
    void theUiIsServedWithAStrictContentSecurityPolicyAndItsStylesheetNeedsNoLogin() {
        for (String path : List.of("/admin/", "/admin/app.js", "/admin/api/me")) {
            http.get().uri(path).exchange().expectHeader().value("Content-Security-Policy", policy -> assertThat(policy)
                    .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
                    .doesNotContain("unsafe"));
        }
        http.get().uri("/admin/").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<script type=\"module\" src=\"/admin/app.js\"></script>")
                        .doesNotContain("style=", "onclick", "<script>"));
        http.get().uri("/webjars/picocss__pico/2.1.1/css/pico.min.css").exchange().expectStatus().isOk();
        http.get().uri("/webjars/other/1.0/x.js").exchange().expectStatus().isNotFound();
    }

    @Test
    void aBrowserThatDoesNotReadItsEventsLosesItsStreamWithoutHoldingUpTheOthers() {
        AdminEventHub hub = context.getBean(AdminEventHub.class);
        AdminEventWriter writer = context.getBean(AdminEventWriter.class);
        int buffer = context.getBean(AdminEventProperties.class).subscriberBuffer();
        AdminEventHub.Subscription slow = hub.subscribe(AdminRole.ADMIN);
        AdminEventHub.Subscription reader = hub.subscribe(AdminRole.VIEWER);
        String marker = AdminApiTestSupport.hex(6);
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        var reading = reader.events().filter(e -> e.data().contains(marker)).subscribe(e -> read.incrementAndGet());
        java.util.concurrent.atomic.AtomicBoolean slowEnded = new java.util.concurrent.atomic.AtomicBoolean();
        // subscribes, asks for one event and never for more
        slow.events().subscribe(new org.reactivestreams.Subscriber<>() {
            public void onSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }
            public void onNext(AdminEvent event) {
            }
            public void onError(Throwable t) {
            }
            public void onComplete() {
                slowEnded.set(true);
            }
        });
        int events = buffer + 100;
        for (int i = 0; i < events; i++) {
            writer.event("client", AdminRole.VIEWER, "{\"marker\":\"" + marker + "\",\"i\":" + i + "}");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(read.get()).isEqualTo(events);
            assertThat(slowEnded.get()).isTrue();
        });
        reading.dispose();
        reader.cancel();
    }

    @Test
    void aBurstOfEventsAndHistoryEntriesIsWrittenInTheOrderGivenAndTheHistoryStaysCapped() {
        AdminEventHub hub = context.getBean(AdminEventHub.class);
        AdminEventWriter writer = context.getBean(AdminEventWriter.class);
        RefreshHistory history = context.getBean(RefreshHistory.class);
        int kept = context.getBean(AdminEventProperties.class).historyLength();
        long environmentId = 1_000_000_000L + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000);
        AdminEventHub.Subscription reader = hub.subscribe(AdminRole.VIEWER);
        String marker = AdminApiTestSupport.hex(6);
        List<Integer> read = new java.util.concurrent.CopyOnWriteArrayList<>();
        var reading = reader.events().filter(e -> e.data().contains(marker))
                .subscribe(e -> read.add(AdminEventJson.JSON.readTree(e.data()).get("i").asInt()));
        int events = 3 * AdminEventWriter.MOST_PER_SCRIPT;
        for (int i = 0; i < events; i++) {
            writer.event("client", AdminRole.VIEWER, "{\"marker\":\"" + marker + "\",\"i\":" + i + "}");
            if (i % 5 == 0) {
                writer.history(environmentId, "{\"i\":" + i + "}");
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(read).hasSize(events));
        assertThat(read).isEqualTo(java.util.stream.IntStream.range(0, events).boxed().toList());
        List<Integer> entries = history.read(environmentId).block(Duration.ofSeconds(5)).stream()
                .map(entry -> entry.get("i").asInt()).toList();
        assertThat(entries).hasSize(kept).first().isEqualTo((events - 1) / 5 * 5);
        assertThat(entries).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        reading.dispose();
        reader.cancel();
    }

    private WebTestClient.ResponseSpec tokenRead(Credential credential, CreatedClient client) {
        return http.get().uri(credential.path()).header("Authorization", "Bearer " + client.key()).exchange();
    }
}
