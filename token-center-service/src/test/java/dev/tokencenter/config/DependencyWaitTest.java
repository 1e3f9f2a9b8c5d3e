package dev.tokencenter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up waits for PostgreSQL and Redis over real sockets: ports that accept nothing, then accept. */
@ExtendWith(OutputCaptureExtension.class)
class DependencyWaitTest {

    @Test
    void waitsWithBackoffAndOneLinePerTryUntilTheDependencyAcceptsConnections(CapturedOutput output) throws Exception {
        try (ServerSocket redis = listening(0)) {
            int postgresPort = freePort();
            MockEnvironment environment = settings("jdbc:postgresql://127.0.0.1:" + postgresPort + "/tokens",
                    "redis://127.0.0.1:" + redis.getLocalPort(), "30s");
            long started = System.nanoTime();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> waitFor(environment));

            Thread.sleep(2500);
            assertThat(waiting).as("still waiting while nothing listens").isNotDone();
            try (ServerSocket postgres = listening(postgresPort)) {
                waiting.get(10, TimeUnit.SECONDS);
            }

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(12));
            assertThat(output.getOut()).contains("Waiting for PostgreSQL at 127.0.0.1:" + postgresPort + " (")
                    .contains("attempt 2, next in 2000 ms, giving up after PT30S in all")
                    .contains("PostgreSQL at 127.0.0.1:" + postgresPort + " accepts connections now")
                    .doesNotContain("Waiting for Redis").doesNotContain("\tat ");
        }
    }

    @Test
    void givesUpAfterTheLimitNamingTheDependencyAndWhatToDo() throws Exception {
        try (ServerSocket postgres = listening(0)) {
            int redisPort = freePort();
            MockEnvironment environment = settings("jdbc:postgresql://127.0.0.1:" + postgres.getLocalPort() + "/tokens",
                    "redis://127.0.0.1:" + redisPort, "2s");

            long started = System.nanoTime();
            assertThatThrownBy(() -> waitFor(environment))
                    .isInstanceOfSatisfying(DependencyUnreachableException.class, unreachable -> {
                        assertThat(unreachable.getMessage()).startsWith("Redis at 127.0.0.1:" + redisPort
                                + " accepted no connection for PT2S (last: ConnectException");
                        FailureAnalysis analysis = new DependencyUnreachableFailureAnalyzer().analyze(unreachable);
                        assertThat(analysis.getDescription()).startsWith("Token Center cannot start: Redis at 127.0.0.1:" + redisPort);
                        assertThat(analysis.getAction()).contains("TOKEN_CENTER_STARTUP_DEPENDENCY_WAIT");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
        }
    }

    @Test
    void zeroDoesNotWait() {
        MockEnvironment environment = settings("jdbc:postgresql://127.0.0.1:" + freePort() + "/tokens",
                "redis://127.0.0.1:" + freePort(), "0s");
        long started = System.nanoTime();
        waitFor(environment);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void readsEveryAddressTheSettingsName() {
        assertThat(endpoints(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db1:5433,db2,[::1]:5434/tokens?targetServerType=primary")
                .withProperty("token-center.redis.sentinel.addresses", "redis://s1,redis://s2:26380")))
                .containsExactly("PostgreSQL db1:5433, db2:5432, ::1:5434", "Redis Sentinel s1:26379, s2:26380");
        assertThat(endpoints(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/tokens")
                .withProperty("token-center.redis.cluster.nodes[0]", "redis://r0:7000")
                .withProperty("token-center.redis.cluster.nodes[1]", "rediss://r1")))
                .containsExactly("PostgreSQL db:5432", "Redis Cluster r0:7000, r1:6379");
        assertThat(endpoints(new MockEnvironment().withProperty("token-center.redis.address", "rediss://cache:6380")))
                .containsExactly("Redis cache:6380");
        assertThat(endpoints(new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:port/x")))
                .as("an address that cannot be parsed is left to the driver's own error").isEmpty();
    }

    private static List<String> endpoints(MockEnvironment environment) {
        return Dependency.configured(Binder.get(environment)).stream()
                .map(dependency -> dependency.name() + " " + dependency.describe()).toList();
    }

    private static MockEnvironment settings(String jdbcUrl, String redis, String limit) {
        return new MockEnvironment().withProperty("spring.datasource.url", jdbcUrl)
                .withProperty("token-center.redis.address", redis)
                .withProperty("token-center.startup.dependency-wait", limit);
    }

    private static void waitFor(MockEnvironment environment) {
        DependencyWait wait = new DependencyWait();
        wait.setEnvironment(environment);
        wait.postProcessBeanFactory(null);
    }

    private static ServerSocket listening(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private static int freePort() {
        try (ServerSocket socket = listening(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
