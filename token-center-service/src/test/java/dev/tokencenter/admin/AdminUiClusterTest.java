package dev.tokencenter.admin;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.support.Browsers;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.StandaloneInstance;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL and one Redis, as behind a load balancer without sticky sessions: an event made on
 * one instance reaches event streams and an open dashboard on the other, a stream resumes on either with
 * Last-Event-ID, each role hears only what it may see, and one browser session works on both until it ends on either.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminUiClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int portA;

    @Autowired
    ApplicationContext context;

    ConfigurableApplicationContext instanceB;
    int portB;
    Login admin;
    Login viewer;

    @BeforeAll
    void startInstanceB() {
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        instanceB = StandaloneInstance.start("instance-b", Map.of("token-center.admin.events.heartbeat", "1s"));
        portB = instanceB.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        admin = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        viewer = AdminApiTestSupport.user(context, AdminRole.VIEWER);
    }

    @AfterAll
    void stopInstanceB() {
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @Test
    void eventsMadeOnOneInstanceReachStreamsOnTheOtherResumeAnywhereAndFollowTheRole() throws Exception {
        String tenant = AdminApiTestSupport.slug("events");
        try (SseStream adminOnA = SseStream.open(portA, admin, null);
             SseStream viewerOnA = SseStream.open(portA, viewer, null)) {
            assertThat(adminOnA.response().headers().firstValue("Content-Type").orElse("")).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
            assertThat(adminOnA.response().headers().firstValue("X-Accel-Buffering")).contains("no");
            adminOnA.next(e -> "connected".equals(e.comment()), WAIT);
            viewerOnA.next(e -> "connected".equals(e.comment()), WAIT);

            WebTestClient onB = AdminApiTestSupport.client(portB);
            String secret = AdminApiTestSupport.secret();
            onB.post().uri("/admin/api/tenants").headers(admin.basic()).bodyValue(Map.of("id", tenant, "name", "Events"))
                    .exchange().expectStatus().isCreated();
            onB.post().uri("/admin/api/tenants/" + tenant + "/apps").headers(admin.basic())
                    .bodyValue(Map.of("id", "mini", "name", "Mini", "platform", "WECHAT_MINIPROGRAM"))
                    .exchange().expectStatus().isCreated();
            String appid = AdminApiTestSupport.wechatAppid();
            TestInfrastructure.get().simulator().registerApp(appid, secret, Platform.WECHAT);
            onB.put().uri("/admin/api/tenants/" + tenant + "/apps/mini/envs/test").headers(admin.basic())
                    .bodyValue(Map.of("appid", appid, "secret", secret)).exchange().expectStatus().isCreated();

            SseStream.Event created = adminOnA.next(e -> "credential".equals(e.type()) && e.data().contains(tenant), WAIT);
            assertThat(created.data()).contains("\"change\":\"CREATED\"").contains("\"env\":\"test\"");
            assertThat(created.id()).matches("\\d+-\\d+");
            SseStream.Event refreshed = adminOnA.next(e -> "refresh".equals(e.type()) && e.data().contains(tenant)
                    && e.data().contains("\"state\":\"OK\""), WAIT);
            assertThat(refreshed.data()).doesNotContain(secret);

            String newUser = "events-" + AdminApiTestSupport.hex(4);
            onB.post().uri("/admin/api/admin-users").headers(admin.basic())
                    .bodyValue(Map.of("username", newUser, "password", "pw-" + AdminApiTestSupport.hex(12), "role", "VIEWER"))
                    .exchange().expectStatus().isCreated();
            onB.put().uri("/admin/api/tenants/" + tenant + "/apps/mini/envs/test").headers(admin.basic())
                    .bodyValue(Map.of("enabled", false)).exchange().expectStatus().isOk();
            SseStream.Event userEvent = adminOnA.next(e -> "admin-user".equals(e.type()) && e.data().contains(newUser), WAIT);
            SseStream.Event disabled = adminOnA.next(e -> "credential".equals(e.type()) && e.data().contains("DISABLED")
                    && e.data().contains(tenant), WAIT);

            // the viewer hears the credential changes, never the admin-user event between them
            viewerOnA.next(e -> "credential".equals(e.type()) && e.data().contains("DISABLED") && e.data().contains(tenant), WAIT);
            assertThat(viewerOnA.drain()).noneMatch(e -> "admin-user".equals(e.type()));

            // a browser that lost its stream after the creation resumes on the other instance, missing nothing
            try (SseStream resumedOnB = SseStream.open(portB, admin, created.id())) {
                SseStream.Event first = resumedOnB.next(e -> e.id() != null, WAIT);
                assertThat(AdminEvent.compareIds(first.id(), created.id())).isPositive();
                List<String> ids = new java.util.ArrayList<>(List.of(first.id()));
                while (!ids.contains(disabled.id())) {
                    ids.add(resumedOnB.next(e -> e.id() != null, WAIT).id());
                }
                assertThat(ids).contains(refreshed.id(), userEvent.id(), disabled.id());
                assertThat(ids).isSortedAccordingTo(AdminEvent::compareIds);
                assertThat(resumedOnB.next(e -> "heartbeat".equals(e.comment()), Duration.ofSeconds(5))).isNotNull();
            }
        }
    }

    @Test
    void aStreamOpenedWhereNobodyListenedStartsWithWhatFollowsNotWithABacklog() throws Exception {
        WebTestClient onA = AdminApiTestSupport.client(portA);
        String prefix = "unheard-" + AdminApiTestSupport.hex(4);
        for (int i = 0; i < 5; i++) { // events that instance B, without a browser, does not read
            createViewer(onA, prefix + "-" + i);
        }
        try (SseStream onB = SseStream.open(portB, admin, null)) {
            onB.next(e -> "connected".equals(e.comment()), WAIT);
            String marker = prefix + "-heard";
            createViewer(onA, marker);
            SseStream.Event first = onB.next(e -> e.id() != null, WAIT);
            assertThat(first.type()).isEqualTo("admin-user");
            assertThat(first.data()).contains(marker);
        }
    }

    private void createViewer(WebTestClient client, String username) {
        client.post().uri("/admin/api/admin-users").headers(admin.basic())
                .bodyValue(Map.of("username", username, "password", "pw-" + AdminApiTestSupport.hex(12), "role", "VIEWER"))
                .exchange().expectStatus().isCreated();
    }

    @Test
    void aStreamEndsAtTheNextHeartbeatOnceItsUserIsDeletedOrChangesRole() throws Exception {
        Login doomed = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        Login demoted = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
        try (SseStream doomedOnB = SseStream.open(portB, doomed, null);
             SseStream demotedOnB = SseStream.open(portB, demoted, null)) {
            doomedOnB.next(e -> "heartbeat".equals(e.comment()), WAIT);
            demotedOnB.next(e -> "heartbeat".equals(e.comment()), WAIT);
            WebTestClient onA = AdminApiTestSupport.client(portA);
            onA.delete().uri("/admin/api/admin-users/" + doomed.username()).headers(admin.basic())
                    .exchange().expectStatus().isNoContent();
            onA.patch().uri("/admin/api/admin-users/" + demoted.username()).headers(admin.basic())
                    .bodyValue(Map.of("role", "VIEWER")).exchange().expectStatus().isOk();
            assertThat(doomedOnB.endsWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(demotedOnB.endsWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void oneBrowserSessionWorksOnBothInstancesAndEndsOnBothAndTheDashboardHearsTheOtherInstance() {
        String tenant = AdminApiTestSupport.slug("both");
        WebTestClient onA = AdminApiTestSupport.client(portA);
        onA.post().uri("/admin/api/tenants").headers(admin.basic()).bodyValue(Map.of("id", tenant, "name", "Both"))
                .exchange().expectStatus().isCreated();
        onA.post().uri("/admin/api/tenants/" + tenant + "/apps").headers(admin.basic())
                .bodyValue(Map.of("id", "mini", "name", "Mini", "platform", "WECHAT_MINIPROGRAM"))
                .exchange().expectStatus().isCreated();
        try (BrowserContext browser = Browsers.chromium().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
            browser.setDefaultTimeout(20_000);
            Page page = browser.newPage();
            page.navigate("http://localhost:" + portA + "/admin/");
            page.getByLabel("Username").fill(admin.username());
            page.getByLabel("Password").fill(admin.password());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
            assertThat(page.locator("#live")).hasText("live");

            // a credential registered through instance B appears on the dashboard open on A, and gets its token
            String secret = AdminApiTestSupport.secret();
            String appid = AdminApiTestSupport.wechatAppid();
            TestInfrastructure.get().simulator().registerApp(appid, secret, Platform.WECHAT);
            AdminApiTestSupport.client(portB).put().uri("/admin/api/tenants/" + tenant + "/apps/mini/envs/staging")
                    .headers(admin.basic()).bodyValue(Map.of("appid", appid, "secret", secret))
                    .exchange().expectStatus().isCreated();
            Locator row = page.locator("tr[data-key='" + tenant + "/mini/staging']");
            assertThat(row.locator("[data-state]")).hasAttribute("data-state", "OK");

            // the same session on instance B (cookies belong to the host, not the port)
            page.navigate("http://localhost:" + portB + "/admin/#/tenants/" + tenant);
            assertThat(page.locator("#whoami")).containsText(admin.username());
            assertThat(page.locator("tr[data-env='staging']")).isVisible();
            page.locator("#logout").click();
            assertThat(page.getByLabel("Username")).isVisible();
            page.navigate("http://localhost:" + portA + "/admin/#/dashboard");
            assertThat(page.getByLabel("Username")).isVisible();

            // a deleted admin user's session ends on every instance
            Login doomed = AdminApiTestSupport.user(context, AdminRole.OPERATOR);
            page.getByLabel("Username").fill(doomed.username());
            page.getByLabel("Password").fill(doomed.password());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
            assertThat(page.locator("#whoami")).containsText(doomed.username());
            AdminApiTestSupport.client(portB).delete().uri("/admin/api/admin-users/" + doomed.username())
                    .headers(admin.basic()).exchange().expectStatus().isNoContent();
            page.navigate("http://localhost:" + portB + "/admin/#/dashboard");
            assertThat(page.getByLabel("Username")).isVisible();
            page.navigate("http://localhost:" + portA + "/admin/#/dashboard");
            assertThat(page.getByLabel("Username")).isVisible();
        }
    }
}
