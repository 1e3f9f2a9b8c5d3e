package dev.tokencenter.admin;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.support.Browsers;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI in a real headless Chromium against a running instance and the WeChat simulator, in order: an operator
 * registers a tenant, an app and two environments and watches the token arrive without a reload; an injected upstream
 * error shows with its hint and is retried from the dashboard; a client is created, its key used and revoked; a
 * viewer sees no actions and is refused them by the API; the audit log lists it all; a session that ends asks for
 * the login again without losing what was typed. Screenshots of every main page go to target/screenshots.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    Login operator;
    BrowserContext browser;
    Page page;
    final List<String> consoleErrors = new ArrayList<>();
    final String tenant = AdminApiTestSupport.slug("ui");
    final String testAppid = AdminApiTestSupport.wechatAppid();
    final String prodAppid = AdminApiTestSupport.wechatAppid();
    final String testSecret = AdminApiTestSupport.secret();
    final String prodSecret = AdminApiTestSupport.secret();

    @BeforeAll
    void openBrowser() {
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
        operator = AdminApiTestSupport.user(context, AdminRole.ADMIN);
        browser = Browsers.chromium().newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        browser.setDefaultTimeout(20_000);
        page = browser.newPage();
        page.onConsoleMessage(message -> {
            // answers like 401 and 400 are part of the flows; a refused script, style or connection is not
            if ("error".equals(message.type()) && message.text().contains("Content Security Policy")) {
                consoleErrors.add(message.text());
            }
        });
        page.onPageError(error -> consoleErrors.add("page error: " + error));
        TestInfrastructure.get().simulator().registerApp(testAppid, testSecret, Platform.WECHAT);
        TestInfrastructure.get().simulator().registerApp(prodAppid, prodSecret, Platform.WECHAT);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    String base() {
        return "http://localhost:" + port;
    }

    void logIn(Page on, Login who) {
        on.navigate(base() + "/admin/");
        on.getByLabel("Username").fill(who.username());
        on.getByLabel("Password").fill(who.password());
        on.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(on.locator("#whoami")).containsText(who.username());
    }

    @Test
    @Order(1)
    void anOperatorRegistersAnAppAndWatchesItsTokenArriveWithoutAReload() {
        logIn(page, operator);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Refresh dashboard"))).isVisible();

        page.navigate(base() + "/admin/#/tenants");
        page.getByLabel("Tenant id").fill("Not A Slug!");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("UI tenant");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
        assertThat(page.locator("[data-error-for='id']")).containsText("id");
        page.getByLabel("Tenant id").fill(tenant);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(tenant).setExact(true)).click();

        page.getByText("New app").click();
        page.getByLabel("App id").fill("shop");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Shop mini program");
        page.getByLabel("Platform").selectOption("WECHAT_MINIPROGRAM");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create app")).click();

        addEnvironment("test", testAppid, testSecret, false);
        addEnvironment("prod", prodAppid, prodSecret, true);
        assertThat(page.locator("tr[data-env='prod'] .badge.prod")).hasText("PRODUCTION");

        // the dashboard is opened before the tokens arrive and is never reloaded
        page.navigate(base() + "/admin/#/dashboard");
        Locator testRow = page.locator("tr[data-key='" + tenant + "/shop/test']");
        assertThat(testRow.locator("[data-state]")).hasAttribute("data-state", "OK");
        assertThat(testRow.locator("[data-expires]")).hasText(Pattern.compile("\\d+ h \\d+ min|\\d+ min \\d+ s"));
        assertThat(page.locator("tr[data-key='" + tenant + "/shop/prod'].prod")).isVisible();
        assertThat(consoleErrors).isEmpty();
    }

    /**
     * A browser loads the UI's modules over a few keep-alive connections, asks who is logged in, then logs in. Reactor
     * Netty drained a request that arrived while a module's exchange was finishing, the answer written at once inside
     * that drain left the connection unread, and the login sent on it hung (3 to 6 in 25 fresh browsers, before
     * answers under /admin were always written in a task of their own).
     */
    @Test
    @Order(0)
    void freshBrowsersLogInEveryTime() {
        Login viewer = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        for (int i = 0; i < 10; i++) {
            try (BrowserContext fresh = Browsers.chromium().newContext()) {
                Page freshPage = fresh.newPage();
                freshPage.navigate(base() + "/admin/");
                freshPage.getByLabel("Username").fill(viewer.username());
                freshPage.getByLabel("Password").fill(viewer.password());
                freshPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
                assertThat(freshPage.locator("#whoami")).containsText(viewer.username(),
                        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(5_000));
            }
        }
    }

    @Test
    @Order(2)
    void anUpstreamErrorShowsWithItsHintAndIsRetriedFromTheDashboard() {
        String ip = "203.0.113.7";
        TestInfrastructure.get().simulator().injectFault(Fault.errcode("/cgi-bin/stable_token", testAppid, 40164,
                "invalid ip " + ip + " ipv6 ::ffff:" + ip + ", not in whitelist rid: 1", 1));
        page.navigate(base() + "/admin/#/dashboard");
        String key = tenant + "/shop/test";
        Locator row = page.locator("tr[data-key='" + key + "']");
        assertThat(row.locator("[data-state]")).hasAttribute("data-state", "OK");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force refresh " + key)).click();
        assertThat(page.locator("dialog[open]")).containsText("force refreshes a day");
        page.locator("dialog[open]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force refresh")).click();

        assertThat(row.locator("[data-state]")).hasAttribute("data-state", "STOPPED");
        assertThat(row.locator("[data-hint]")).containsText("Add IP " + ip + " to the API IP whitelist in the WeChat console");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry " + key)).click();
        assertThat(row.locator("[data-state]")).hasAttribute("data-state", "OK");
        assertThat(row.locator("[data-hint]")).hasCount(0);

        page.navigate(base() + "/admin/#/credentials/" + tenant + "/shop/test");
        assertThat(page.locator(".timeline li.failed").first()).containsText("40164");
        assertThat(page.locator(".timeline li").first()).containsText("OK");
        assertThat(page.locator("dl")).containsText(testSecret.substring(testSecret.length() - 4));
        assertThat(page.locator("main")).not().containsText(testSecret);
    }

    @Test
    @Order(3)
    void aClientIsCreatedUsedAndRevoked() throws Exception {
        page.navigate(base() + "/admin/#/clients/" + tenant);
        page.getByText("New API client").click();
        page.getByLabel("Client name").fill("orders");
        page.getByLabel("Grant 1 app").selectOption("shop");
        page.getByLabel("Grant 1 environment").selectOption("test");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create client")).click();
        Locator shown = page.locator("dialog[open] [data-key]");
        assertThat(shown).hasText(Pattern.compile("tck_c[0-9a-f]{16}_.+"));
        String key = shown.textContent();
        assertThat(page.locator("dialog[open]")).containsText("/v1/tokens/" + tenant + "/shop/test");
        assertThat(tokenRead(key)).isEqualTo(200);
        page.locator("dialog[open]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Done")).click();

        Locator row = page.locator("#clients tr", new Page.LocatorOptions().setHasText("orders"));
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit grants of orders")).click();
        page.locator("dialog[open]").getByText("JS-SDK").check();
        page.locator("dialog[open]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save grants")).click();
        assertThat(row).containsText("jssdk");

        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke orders")).click();
        page.locator("dialog[open] input").fill("orders");
        page.locator("dialog[open]").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(row).containsText("revoked");
        assertThat(tokenRead(key)).isEqualTo(401);
    }

    @Test
    @Order(4)
    void aViewerSeesNoActionsAndTheApiRefusesThemAnyway() {
        Login viewer = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        try (BrowserContext viewerBrowser = Browsers.chromium().newContext()) {
            Page viewerPage = viewerBrowser.newPage();
            logIn(viewerPage, viewer);
            Locator row = viewerPage.locator("tr[data-key='" + tenant + "/shop/test']");
            assertThat(row.locator("[data-state]")).isVisible();
            assertThat(viewerPage.locator("main button")).hasCount(0);
            viewerPage.navigate(base() + "/admin/#/tenants/" + tenant);
            assertThat(viewerPage.locator("article[data-app='shop']")).isVisible();
            assertThat(viewerPage.locator("main button")).hasCount(0);
            assertThat(viewerPage.getByText("New app")).hasCount(0);

            Object status = viewerPage.evaluate("async path => {"
                    + " const token = decodeURIComponent(document.cookie.match(/XSRF-TOKEN=([^;]+)/)[1]);"
                    + " const answer = await fetch(path, {method: 'POST', headers: {'X-XSRF-TOKEN': token}});"
                    + " return answer.status; }", "/admin/api/tenants/" + tenant + "/apps/shop/envs/test/retry");
            assertThat(status).isEqualTo(403);
        }
    }

    @Test
    @Order(5)
    void theAuditLogListsWhatWasDone() {
        page.navigate(base() + "/admin/#/audit");
        page.getByLabel("Actor").fill(operator.username());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        Locator table = page.locator("#audit");
        for (String action : List.of("tenant.create", "app.create", "env.create", "token.refresh", "token.retry",
                "client.create", "client.grants", "client.revoke")) {
            assertThat(table).containsText(action);
        }
        page.getByLabel("Action").fill("client.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Filter")).click();
        assertThat(table).not().containsText("tenant.create");
        assertThat(table).containsText("client.revoke");
    }

    @Test
    @Order(6)
    void aSessionThatEndsAsksForTheLoginAgainAndKeepsWhatWasTyped() throws Exception {
        String typedTenant = AdminApiTestSupport.slug("typed");
        page.navigate(base() + "/admin/#/tenants");
        page.getByLabel("Tenant id").fill(typedTenant);
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Typed before the session ended");
        String session = browser.cookies().stream().filter(c -> c.name.equals("SESSION")).findFirst().orElseThrow().value;
        String csrf = browser.cookies().stream().filter(c -> c.name.equals("XSRF-TOKEN")).findFirst().orElseThrow().value;
        HttpResponse<String> loggedOut = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/logout"))
                .header("Cookie", "SESSION=" + session + "; XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(loggedOut.statusCode()).isEqualTo(204);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
        Locator dialog = page.locator("dialog[open]");
        assertThat(dialog).containsText("Your session has ended");
        dialog.getByLabel("Username").fill(operator.username());
        dialog.getByLabel("Password").fill(operator.password());
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(typedTenant))).isVisible();
        assertThat(page.locator("#main")).containsText("Typed before the session ended");
    }

    @Test
    @Order(7)
    void screenshotsOfEveryMainPageAtLaptopAndPhoneWidth() throws Exception {
        Path folder = Path.of("target", "screenshots");
        Files.createDirectories(folder);
        moreCredentialsForTheScreenshots();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("dashboard", "#/dashboard");
        pages.put("tenant", "#/tenants/" + tenant);
        pages.put("credential", "#/credentials/" + tenant + "/shop/test");
        pages.put("clients", "#/clients/" + tenant);
        pages.put("audit", "#/audit");
        pages.put("admin-users", "#/admin-users");
        for (Map.Entry<String, int[]> size : Map.of("laptop", new int[] {1280, 800}, "phone", new int[] {390, 844}).entrySet()) {
            page.setViewportSize(size.getValue()[0], size.getValue()[1]);
            for (Map.Entry<String, String> target : pages.entrySet()) {
                page.navigate(base() + "/admin/" + target.getValue());
                assertThat(page.locator("main h2").first()).isVisible();
                assertThat(page.locator("main[data-loading]")).hasCount(0);
                if (target.getKey().equals("dashboard")) {
                    page.locator("#filter-tenant").selectOption(tenant);
                    assertThat(page.locator("tr[data-key='" + tenant + "/shop/paused'] [data-state]")).hasAttribute("data-state", "PAUSED");
                }
                page.evaluate("document.getElementById('toasts').replaceChildren()");
                Path file = folder.resolve(target.getKey() + "-" + size.getKey() + ".png");
                page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(size.getKey().equals("phone")));
                assertThat(Files.size(file)).isPositive();
            }
        }
        page.setViewportSize(1280, 800);
        assertThat(consoleErrors).isEmpty();
    }

    /** A paused and a stopped credential next to the working ones, registered as dev mode does (services). */
    private void moreCredentialsForTheScreenshots() {
        var simulator = TestInfrastructure.get().simulator();
        var environments = context.getBean(dev.tokencenter.registry.EnvironmentService.class);
        String pausedAppid = AdminApiTestSupport.wechatAppid();
        String stoppedAppid = AdminApiTestSupport.wechatAppid();
        simulator.registerApp(pausedAppid, testSecret, Platform.WECHAT);
        simulator.injectFault(Fault.errcode("/cgi-bin/stable_token", pausedAppid, 45009, 1));
        simulator.registerApp(stoppedAppid, "another-secret-entirely", Platform.WECHAT);
        environments.putEnvironment("test", tenant, "shop", "paused", dev.tokencenter.registry.EnvironmentSpec.of(
                pausedAppid, testSecret, false, dev.tokencenter.registry.TokenMode.STABLE, true, null));
        environments.putEnvironment("test", tenant, "shop", "stopped", dev.tokencenter.registry.EnvironmentSpec.of(
                stoppedAppid, AdminApiTestSupport.secret(), false, dev.tokencenter.registry.TokenMode.CLASSIC, true, null));
    }

    private int tokenRead(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tokens/" + tenant + "/shop/test"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private void addEnvironment(String name, String appid, String secret, boolean production) {
        page.locator("article[data-app='shop']").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add environment")).click();
        Locator dialog = page.locator("dialog[open]");
        dialog.getByLabel("Environment name").fill(name);
        dialog.getByLabel("AppID").fill(appid);
        dialog.getByLabel("AppSecret").fill(secret);
        if (production) {
            dialog.getByLabel("Production").check();
        }
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create environment")).click();
        assertThat(page.locator("tr[data-env='" + name + "']")).isVisible();
    }
}
