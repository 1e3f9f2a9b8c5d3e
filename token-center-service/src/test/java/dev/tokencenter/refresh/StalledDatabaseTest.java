package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.TokenSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances reach PostgreSQL through a proxy that black-holes it (connections stay open, nothing is answered) for
 * longer than two token lifetimes: tokens go on being refreshed on schedule from Redis and memory, and the state
 * reaches PostgreSQL once it answers again.
 */
class StalledDatabaseTest {

    private static final Duration LIFETIME = Duration.ofSeconds(8);
    private static final Duration STALL = Duration.ofSeconds(20);
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)");

    static StallingProxy proxy;
    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;

    record Cred(CredentialKey key, long environmentId, long upstreamId, String appid, TokenMode mode) {
    }

    @BeforeAll
    static void start() throws Exception {
        Matcher url = URL.matcher(TestInfrastructure.get().jdbcUrl());
        assertThat(url.matches()).as("JDBC URL %s", TestInfrastructure.get().jdbcUrl()).isTrue();
        proxy = new StallingProxy(url.group(1), Integer.parseInt(url.group(2)));
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(3))
                .withStableRotationWindow(Duration.ofSeconds(5)),
                CompressedRefreshSettings.defaults()
                        .refresh("catalog-reload-period", "2s")
                        .refresh("minimum-lead", "3s")
                        .refresh("stable-rotation-window", "5s")
                        .refresh("stable-lead", "3500ms")
                        .refresh("jitter", "500ms")
                        .refresh("read-wait", "4s")
                        .refresh("retry-max-backoff", "2s")
                        .toMap(),
                jdbcUrl -> "jdbc:postgresql://127.0.0.1:" + proxy.port() + url.group(3));
        simulator = cluster.simulator();
        nodes = List.of(cluster.start("stall-a"), cluster.start("stall-b"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.resume();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aStalledDatabaseDelaysPersistenceNeverRefreshes() throws InterruptedException {
        RegistryRows rows = new RegistryRows(nodes.get(0));
        List<Cred> creds = new ArrayList<>();
        for (TokenMode mode : TokenMode.values()) {
            for (int i = 0; i < 2; i++) {
                creds.add(newCredential(rows, mode));
            }
        }
        RedisTokenStore store = nodes.get(0).getBean(RedisTokenStore.class);
        List<Long> ids = creds.stream().map(Cred::upstreamId).toList();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(ids);
            return statuses.size() == creds.size() && statuses.values().stream().allMatch(RefreshStatus::hasToken);
        });
        // both catalogs know every credential before the database goes away
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes.stream().allMatch(node ->
                creds.stream().allMatch(cred -> node.getBean(CredentialCatalog.class).find(cred.environmentId()).isPresent())));

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                checkRead(nodes.get((int) (reads.get() % 2)), creds.get((int) (reads.get() / 2 % creds.size())), reads, failures);
                LockSupport.parkNanos(5_000_000);
            }
        }, "stall-reader");
        reader.start();

        Map<Long, Long> sequenceAtStall = new HashMap<>();
        store.statuses(ids).forEach((id, status) -> sequenceAtStall.put(id, status.sequence()));
        proxy.stall();
        Instant stallEnd = Instant.now().plus(STALL);
        Map<Long, List<Instant>> obtained = new HashMap<>();
        while (Instant.now().isBefore(stallEnd)) {
            store.statuses(ids).forEach((id, status) -> {
                List<Instant> seen = obtained.computeIfAbsent(id, x -> new ArrayList<>());
                if (status.sequence() > sequenceAtStall.get(id) && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status.obtainedAt()))) {
                    seen.add(status.obtainedAt());
                }
            });
            Thread.sleep(100);
        }
        proxy.resume();
        reading.set(false);
        reader.join(15_000);

        long refreshesDuringStall = 0;
        for (Cred cred : creds) {
            long refreshes = obtained.getOrDefault(cred.upstreamId(), List.of()).size();
            refreshesDuringStall += refreshes;
            System.out.printf("stall: %s (%s) refreshed %d times in %d s, obtained at %s%n", cred.key(), cred.mode(),
                    refreshes, STALL.toSeconds(), obtained.get(cred.upstreamId()));
        }
        System.out.printf("stall: %d refreshes of %d credentials in %d s without PostgreSQL, %d reads, %d failed%n",
                refreshesDuringStall, creds.size(), STALL.toSeconds(), reads.get(), failures.size());
        failures.stream().limit(5).forEach(failure -> System.out.println("stall: " + failure));

        for (Cred cred : creds) {
            long refreshes = obtained.getOrDefault(cred.upstreamId(), List.of()).size();
            // one refresh per 8 s lifetime at the least (classic and stable refresh ahead, WeCom at expiry)
            assertThat(refreshes).as("refreshes of %s (%s) during a %s stall", cred.key(), cred.mode(), STALL)
                    .isGreaterThanOrEqualTo(STALL.toMillis() / LIFETIME.toMillis());
        }
        assertThat(failures).as("failed or invalid reads during the stall").isEmpty();
        assertThat(reads.get()).isGreaterThan(500);

        // once PostgreSQL answers again, it gets the state Redis has
        JdbcTemplate jdbc = nodes.get(1).getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(ids);
            for (Cred cred : creds) {
                Long persisted = jdbc.queryForObject("select sequence from token_state where upstream_id = ?", Long.class,
                        cred.upstreamId());
                assertThat(persisted).as("persisted sequence of %s", cred.key())
                        .isEqualTo(statuses.get(cred.upstreamId()).sequence());
            }
        });
    }

    private static void checkRead(ConfigurableApplicationContext node, Cred cred, AtomicLong reads, Queue<String> failures) {
        try {
            IssuedToken token = node.getBean(TokenSource.class).current(cred.key()).block(Duration.ofSeconds(10));
            Instant servedAt = simulator.clock().now();
            TokenValidity validity = simulator.tokenValidity(token.accessToken());
            if (!cred.appid().equals(validity.appid()) || validity.expiresAt() == null || !validity.expiresAt().isAfter(servedAt)) {
                failures.add(cred.key() + " (" + cred.mode() + ") served a token not valid upstream at " + servedAt + ": " + validity);
            } else if (!token.usableUntil().isAfter(servedAt)) {
                failures.add(cred.key() + " served past its minimum lifetime at " + servedAt);
            }
        } catch (RuntimeException e) {
            failures.add(cred.key() + " (" + cred.mode() + ") read failed: " + e);
        }
        reads.incrementAndGet();
    }

    private static Cred newCredential(RegistryRows rows, TokenMode mode) {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        String appid = (mode == TokenMode.WECOM ? "ww" : "wx") + HexFormat.of().formatHex(bytes);
        String secret = "secret-" + appid;
        simulator.registerApp(appid, secret, mode == TokenMode.WECOM ? Platform.WECOM : Platform.WECHAT);
        CredentialKey key = new CredentialKey("stall", mode.name().toLowerCase(), appid.substring(2, 12));
        String platform = mode == TokenMode.WECOM ? "WECOM" : "WECHAT_MINIPROGRAM";
        long environmentId = rows.create(key, platform, mode == TokenMode.CLASSIC ? "CLASSIC" : "STABLE", appid, secret);
        return new Cred(key, environmentId, rows.upstreamId(environmentId), appid, mode);
    }
}
