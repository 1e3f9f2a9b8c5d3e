package dev.tokencenter.web;

import dev.tokencenter.admin.AdminApiTestSupport.Login;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin's session as the UI holds it (a SESSION cookie and the CSRF token): one password check at login
 * instead of one per request, so thousands of requests stay fast.
 */
record AdminSession(String session, String csrf) {

    static AdminSession login(HttpClient http, String base, Login admin) throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csrf = cookie(page, "XSRF-TOKEN").orElseThrow();
        String form = "username=" + URLEncoder.encode(admin.username(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(admin.password(), StandardCharsets.UTF_8);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .header("Cookie", "XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return new AdminSession(cookie(login, "SESSION").orElseThrow(),
                cookie(login, "XSRF-TOKEN").filter(value -> !value.isEmpty()).orElse(csrf));
    }

    HttpRequest.Builder authenticate(HttpRequest.Builder request) {
        return request.header("Cookie", "SESSION=" + session + "; XSRF-TOKEN=" + csrf).header("X-XSRF-TOKEN", csrf);
    }

    String cookieHeader() {
        return "Cookie: SESSION=" + session + "; XSRF-TOKEN=" + csrf + "\r\nX-XSRF-TOKEN: " + csrf + "\r\n";
    }

    /** What the admin API lists of tenants, the tenant's apps with their environments, its clients, admin users. */
    String listings(HttpClient http, String base, String tenant) throws IOException, InterruptedException {
        StringBuilder listings = new StringBuilder();
        for (String path : List.of("/admin/api/tenants", "/admin/api/tenants/" + tenant + "/apps",
                "/admin/api/tenants/" + tenant + "/apps/mini/envs", "/admin/api/tenants/" + tenant + "/apps/corp/envs",
                "/admin/api/tenants/" + tenant + "/clients", "/admin/api/admin-users")) {
            HttpResponse<String> answer = http.send(authenticate(HttpRequest.newBuilder(URI.create(base + path)))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
            listings.append(path).append(": ").append(answer.body()).append('\n');
        }
        return listings.toString();
    }

    private static Optional<String> cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .map(header -> header.substring(name.length() + 1, header.contains(";") ? header.indexOf(';') : header.length()))
                .findFirst();
    }
}
