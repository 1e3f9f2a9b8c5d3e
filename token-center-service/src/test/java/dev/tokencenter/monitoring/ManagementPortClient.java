package dev.tokencenter.monitoring;

import org.springframework.context.ApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP to an instance's public and management ports, the way a probe or Prometheus calls them. */
final class ManagementPortClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int publicPort;
    private final int managementPort;

    ManagementPortClient(ApplicationContext context) {
        this.publicPort = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        this.managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    }

    int managementPort() {
        return managementPort;
    }

    HttpResponse<String> management(String path) {
        return get(managementPort, path, null);
    }

    HttpResponse<String> publicPort(String path, String bearer) {
        return get(publicPort, path, bearer);
    }

    Scrape scrape() {
        HttpResponse<String> answer = management("/actuator/prometheus");
        if (answer.statusCode() != 200) {
            throw new AssertionError("scrape answered " + answer.statusCode() + ": " + answer.body());
        }
        return Scrape.parse(answer.body());
    }

    static HttpResponse<String> get(int port, String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " on port " + port + " failed", e);
        }
    }
}
