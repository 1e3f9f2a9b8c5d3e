package dev.tokencenter.refresh;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No read may hang: three instances, short token lifetimes and many keep-alive HTTP readers, so that reads find no
 * usable token at every refresh-cycle boundary (WeCom rollover, classic and stable lead) and wait for the refresh.
 * Every read must answer within {@code read-wait} plus a second: 200 with a token, or 503 with {@code Retry-After}.
 */
class CycleBoundaryReadsTest {

    private static final Duration LIFETIME = Duration.ofSeconds(8);
    private static final Duration READ_WAIT = Duration.ofSeconds(3);
    private static final Duration ANSWER_WITHIN = READ_WAIT.plusSeconds(1);
    private static final Duration READING = LIFETIME.multipliedBy(4);
    private static final int READERS = 24;

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;
    static RegistryRows rows;

    record Cred(CredentialKey key, long upstreamId) {
        String path() {
            return "/v1/tokens/" + key.tenant() + "/" + key.app() + "/" + key.env();
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(2))
                .withStableRotationWindow(Duration.ofSeconds(3)),
                CompressedRefreshSettings.defaults()
                        .refresh("minimum-lead", "1500ms")
                        .refresh("lead-fraction", "0.1")
                        .refresh("stable-rotation-window", "3s")
                        .refresh("stable-lead", "1500ms")
                        .refresh("read-wait", READ_WAIT.toMillis() + "ms")
                        .toMap());
        simulator = cluster.simulator();
        nodes = List.of(cluster.start("node-a"), cluster.start("node-b"), cluster.start("node-c"));
        rows = new RegistryRows(nodes.get(0));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyKeepAliveReadAnswersWithinReadWaitAcrossRefreshCycles() throws InterruptedException {
        String tenant = "hang-" + HexFormat.of().formatHex(randomBytes(4));
        List<Cred> creds = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            creds.add(newCredential(tenant, i % 2 == 0 ? TokenMode.WECOM : i % 4 == 1 ? TokenMode.CLASSIC : TokenMode.STABLE));
        }
        String key = nodes.get(0).getBean(ApiClientService.class)
                .createClient("test", tenant, "reader", List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY))).key();
        RedisTokenStore store = nodes.get(0).getBean(RedisTokenStore.class);
        List<Long> ids = creds.stream().map(Cred::upstreamId).toList();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(ids);
            return statuses.size() == creds.size() && statuses.values().stream().allMatch(RefreshStatus::hasToken);
        });

        AtomicBoolean reading = new AtomicBoolean(true);
        ReadFigures figures = new ReadFigures();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            Thread reader = new Thread(() -> read(creds, key, reading, figures), "http-reader-" + r);
            reader.start();
            readers.add(reader);
        }
        Thread.sleep(READING.toMillis());
        reading.set(false);
        for (Thread reader : readers) {
            reader.join(ANSWER_WITHIN.plusSeconds(5).toMillis());
        }

        System.out.printf("cycle-boundary reads: %d reads over %d s (%d keep-alive readers, %d instances), %d ok, "
                        + "%d answered 503, %d late (no answer within %d ms), max latency %d ms, %d other failures%n",
                figures.reads.get(), READING.toSeconds(), READERS, nodes.size(), figures.ok.get(), figures.unavailable.get(),
                figures.late.get(), ANSWER_WITHIN.toMillis(), figures.maxMillis.get(), figures.failures.size());
        figures.failures.stream().limit(20).forEach(failure -> System.out.println("  " + failure));
        assertThat(figures.reads.get()).isGreaterThan(1000);
        assertThat(figures.late.get()).as("reads with no answer within %s", ANSWER_WITHIN).isZero();
        assertThat(figures.failures).isEmpty();
        assertThat(figures.maxMillis.get()).isLessThanOrEqualTo(ANSWER_WITHIN.toMillis());
    }

    private static final class ReadFigures {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final LongAccumulator maxMillis = new LongAccumulator(Math::max, 0);
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
    }

    /** One reader: one client (so keep-alive connections of its own), reading from every instance in turn. */
    private static void read(List<Cred> creds, String key, AtomicBoolean reading, ReadFigures figures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        while (reading.get()) {
            ConfigurableApplicationContext node = nodes.get(random.nextInt(nodes.size()));
            Cred cred = creds.get(random.nextInt(creds.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + node.getEnvironment().getProperty("local.server.port") + cred.path()))
                    .header("Authorization", "Bearer " + key)
                    .timeout(ANSWER_WITHIN)
                    .GET().build();
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                figures.maxMillis.accumulate((System.nanoTime() - started) / 1_000_000);
                check(cred, response, figures);
            } catch (HttpTimeoutException e) {
                figures.late.incrementAndGet();
                figures.maxMillis.accumulate((System.nanoTime() - started) / 1_000_000);
                figures.failures.add(Instant.now() + " " + cred.key() + " on " + node.getEnvironment()
                        .getProperty("token-center.refresh.instance-id") + ": no answer within " + ANSWER_WITHIN);
            } catch (IOException e) {
                figures.failures.add(cred.key() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            figures.reads.incrementAndGet();
        }
    }

    private static void check(Cred cred, HttpResponse<String> response, ReadFigures figures) {
        if (response.statusCode() == 200 && response.body().contains("\"access_token\"")) {
            figures.ok.incrementAndGet();
        } else if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
            figures.unavailable.incrementAndGet();
        } else {
            figures.failures.add(cred.key() + ": HTTP " + response.statusCode());
        }
    }

    private static Cred newCredential(String tenant, TokenMode mode) {
        String appid = (mode == TokenMode.WECOM ? "ww" : "wx") + HexFormat.of().formatHex(randomBytes(8));
        String secret = "secret-" + appid;
        simulator.registerApp(appid, secret, mode == TokenMode.WECOM ? Platform.WECOM : Platform.WECHAT);
        CredentialKey key = new CredentialKey(tenant, mode.name().toLowerCase(), appid.substring(2, 12));
        String platform = mode == TokenMode.WECOM ? "WECOM" : "WECHAT_MINIPROGRAM";
        long environmentId = rows.create(key, platform, mode == TokenMode.CLASSIC ? "CLASSIC" : "STABLE", appid, secret);
        return new Cred(key, rows.upstreamId(environmentId));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
