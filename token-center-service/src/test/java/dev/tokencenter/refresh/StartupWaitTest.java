package dev.tokencenter.refresh;

import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance started while PostgreSQL accepts no connection says what it waits for, one line per try and no stack
 * trace, and starts and becomes ready as soon as PostgreSQL can be reached.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupWaitTest {

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)");

    private RefreshTestCluster cluster;
    private StallingProxy postgres;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void startsAndBecomesReadyOncePostgresAcceptsConnections(CapturedOutput output) throws Exception {
        Matcher url = URL.matcher(TestInfrastructure.get().jdbcUrl());
        assertThat(url.matches()).isTrue();
        int port = freePort();
        cluster = new RefreshTestCluster(SimulatorSettings.defaults(), Map.of("token-center.startup.dependency-wait", "60s"),
                jdbcUrl -> "jdbc:postgresql://127.0.0.1:" + port + url.group(3));

        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() -> cluster.start("late-db"));
        await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().contains("Waiting for PostgreSQL at 127.0.0.1:" + port));
        Thread.sleep(1500);
        assertThat(starting).isNotDone();
        postgres = new StallingProxy(url.group(1), Integer.parseInt(url.group(2)), port);

        ConfigurableApplicationContext node = starting.get(60, TimeUnit.SECONDS);
        String readiness = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.management.port")
                + "/actuator/health/readiness";
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(HttpRequest.newBuilder(URI.create(readiness))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        String startup = output.getOut();
        assertThat(startup).contains("PostgreSQL at 127.0.0.1:" + port + " accepts connections now");
        assertThat(startup.substring(0, startup.indexOf("accepts connections now")))
                .as("no stack trace while waiting").doesNotContain("\tat ");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
