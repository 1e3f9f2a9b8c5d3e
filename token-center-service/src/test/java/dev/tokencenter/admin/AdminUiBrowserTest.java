package dev.tokencenter.admin;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
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

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI in a real headless Chromium against a running instance and the WeChat simulator: an operator logs in,
 * registers a tenant, an app and two environments and watches the dashboard change without a reload.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

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
        page.getByLabel("Name").fill("UI tenant");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
        assertThat(page.locator("[data-error-for='id']")).containsText("id");
        page.getByLabel("Tenant id").fill(tenant);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(tenant).setExact(true)).click();

        page.getByText("New app").click();
        page.getByLabel("App id").fill("shop");
        page.getByLabel("Name").fill("Shop mini program");
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
