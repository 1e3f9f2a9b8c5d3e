package dev.tokencenter.dev;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Dev mode as a new user meets it: it starts, and the demo client key fetches a token issued by the simulator. */
class DevModeTest {

    private static DevMode devMode;
    private static String baseUrl;

    @BeforeAll
    static void start() {
        devMode = DevModeMain.start("--server.port=0", "--management.server.port=0");
        baseUrl = "http://localhost:" + devMode.context().getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (devMode != null) {
            devMode.close();
        }
    }

    @Test
    void demoClientKeyFetchesATokenIssuedByTheSimulator() throws Exception {
        DemoData demo = devMode.demoData();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tokens/" + demo.tenant() + "/" + demo.app()
                        + "/" + demo.testEnv()))
                .header("Authorization", "Bearer " + demo.clientKey())
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        assertThat(token.find()).isTrue();
        assertThat(devMode.simulator().tokenValidity(token.group(1)).valid()).isTrue();
        assertThat(response.body()).contains("\"appid\":\"" + demo.testAppid() + "\"");
    }

    @Test
    void adminUiUrlFromTheBannerOpens() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/admin/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("Token Center");
    }

    @Test
    void adminLoginFromTheBannerWorks() throws Exception {
        DemoData demo = devMode.demoData();
        String basic = java.util.Base64.getEncoder().encodeToString(
                (demo.adminUsername() + ":" + demo.adminPassword()).getBytes());
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/admin/api/tenants"))
                .header("Authorization", "Basic " + basic).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(demo.tenant());
    }
}
