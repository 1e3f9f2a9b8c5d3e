package dev.tokencenter.refresh;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.redis.RedisBreaker;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refreshes while Redis is unreachable, coordinated by the advisory locks in PostgreSQL: two instances behind a cut
 * Redis fetch each credential once per cycle (never both, never neither), serve without a failed read, and put Redis
 * back in step when it answers again; and the fencing of that path: a holder whose session ended and whose place was
 * taken cannot replace the newer token.
 */
class RedisOutageRefreshTest {

    private static final Duration LIFETIME = Duration.ofSeconds(10);
    /** Two successful calls of one credential closer than this are two fetches in one cycle (cycles are ~7 s). */
    private static final Duration SPACING = Duration.ofSeconds(4);

    static StallingProxy redis;
    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static RegistryRows rows;
    static final List<String> appids = new ArrayList<>();
    static final List<Long> upstreamIds = new ArrayList<>();
    static final List<String> paths = new ArrayList<>();
    static String clientKey;
    static String tenant;

    @BeforeAll
    static void start() throws Exception {
        URI redisAddress = URI.create(TestInfrastructure.get().redisAddress());
        redis = new StallingProxy(redisAddress.getHost(), redisAddress.getPort());
        Map<String, Object> settings = new HashMap<>(CompressedRefreshSettings.defaults()
                .refresh("minimum-lead", "3s")
                .refresh("lead-fraction", "0.1")
                .refresh("stable-rotation-window", "4s")
                .refresh("stable-lead", "3s")
                .refresh("classic-grace-period", "3s")
                .toMap());
        settings.put("token-center.redis.address", "redis://127.0.0.1:" + redis.port());
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(3))
                .withStableRotationWindow(Duration.ofSeconds(4)), settings);
        simulator = cluster.simulator();
        a = cluster.start("outage-a");
        b = cluster.start("outage-b");
        rows = new RegistryRows(b);
        tenant = "ro-" + HexFormat.of().formatHex(randomBytes(3));
        for (TokenMode mode : List.of(TokenMode.CLASSIC, TokenMode.STABLE)) {
            String appid = "wx" + HexFormat.of().formatHex(randomBytes(8));
            simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
            CredentialKey key = new CredentialKey(tenant, mode.name().toLowerCase(), "prod");
            long environmentId = rows.create(key, "WECHAT_MINIPROGRAM", mode.name(), appid, "secret-" + appid);
            appids.add(appid);
            upstreamIds.add(rows.upstreamId(environmentId));
            paths.add("/v1/tokens/" + key.tenant() + "/" + key.app() + "/" + key.env());
        }
        clientKey = b.getBean(ApiClientService.class)
                .createClient("test", tenant, "reader", List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY))).key();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ConfigurableApplicationContext node : List.of(a, b)) {
                for (String path : paths) {
                    if (read(http, node, path).statusCode() != 200) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.resume();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void twoInstancesWithoutRedisFetchOncePerCycleServeEveryReadAndReconvergeAfter() throws Exception {
        Map<String, List<Instant>> calls = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(daemon(() -> countCalls(calls, running)));
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            threads.add(daemon(() -> {
                HttpClient http = HttpClient.newHttpClient();
                while (running.get()) {
                    for (String path : paths) {
                        try {
                            HttpResponse<String> answer = read(http, node, path);
                            reads.incrementAndGet();
                            if (answer.statusCode() != 200) {
                                failures.add(answer.statusCode() + " " + answer.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    sleep(20);
                }
            }));
        }
        Instant cutAt = Instant.now();
        redis.cut();
        Thread.sleep(16_000);
        await().atMost(Duration.ofSeconds(3)).until(() -> a.getBean(RedisBreaker.class).isOpen()
                && b.getBean(RedisBreaker.class).isOpen());
        redis.resume();
        Instant resumedAt = Instant.now();
        // Redis holds what was obtained without it: every credential OK with the sequence PostgreSQL holds
        RedisTokenStore store = b.getBean(RedisTokenStore.class);
        JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(upstreamIds);
            return upstreamIds.stream().allMatch(id -> {
                RefreshStatus status = statuses.get(id);
                Long persisted = jdbc.queryForObject("select sequence from token_state where upstream_id = ?", Long.class, id);
                return status != null && status.state() == RefreshState.OK && persisted != null
                        && status.sequence() == persisted;
            });
        });
        Thread.sleep(2_000);
        running.set(false);
        for (Thread thread : threads) {
            thread.join(5_000);
        }

        assertThat(reads.get()).isGreaterThan(500);
        assertThat(failures).as("failed reads").isEmpty();
        for (String appid : appids) {
            List<Instant> made = calls.getOrDefault(appid, List.of());
            long duringOutage = made.stream().filter(at -> at.isAfter(cutAt) && at.isBefore(resumedAt)).count();
            assertThat(duringOutage).as("%s: fetches while Redis was cut (16 s, cycles of ~7 s)", appid)
                    .isBetween(2L, 3L);
            for (int i = 1; i < made.size(); i++) {
                assertThat(Duration.between(made.get(i - 1), made.get(i))).as("%s: calls %d and %d", appid, i, i + 1)
                        .isGreaterThanOrEqualTo(SPACING);
            }
        }
    }

    @Test
    void aHolderWhoseSessionEndedCannotReplaceTheTokenOfTheHolderAfterIt() throws Exception {
        // a credential of its own, disabled, so that no scheduler touches its row
        String appid = "wx" + HexFormat.of().formatHex(randomBytes(8));
        long environmentId = rows.create(new CredentialKey(tenant, "fencing", "prod"), "WECHAT_MINIPROGRAM", "CLASSIC",
                appid, "secret-" + appid, false);
        long upstreamId = rows.upstreamId(environmentId);
        AdvisoryLocks locks = a.getBean(AdvisoryLocks.class);
        TokenStateStore database = a.getBean(TokenStateStore.class);
        TokenCipher sealing = a.getBean(TokenCipher.class);
        JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);

        AdvisoryHold first = ((AdvisoryLocks.Held) locks.tryHold(upstreamId)).hold();
        long firstFence = first.takeFence(0);
        // the other instance is refused while the first holder's session lives
        assertThat(b.getBean(AdvisoryLocks.class).tryHold(upstreamId)).isInstanceOf(AdvisoryLocks.Refused.class);

        // the first holder's session ends (as idle_session_timeout ends a stalled one): its lock goes with it
        assertThat(jdbc.queryForObject("""
                select count(*) from (select pg_terminate_backend(pid) from pg_locks
                 where locktype = 'advisory' and classid = ? and objid = ? and objsubid = 2) ended
                """, Long.class, AdvisoryLocks.NAMESPACE, AdvisoryLocks.key(upstreamId))).isEqualTo(1);
        AdvisoryLocks.Asked asked = awaitHeld(b.getBean(AdvisoryLocks.class), upstreamId);
        AdvisoryHold second = ((AdvisoryLocks.Held) asked).hold();
        long secondFence = second.takeFence(0);
        assertThat(secondFence).isGreaterThan(firstFence);
        Instant now = Instant.now();
        StoredToken newer = sealing.seal(new CurrentToken(upstreamId, secondFence, appid, "newer-token",
                now.plusSeconds(60), now, null));
        assertThat(second.save(secondFence, newer, status(secondFence, appid, now))).isTrue();
        second.close();

        // the first holder comes back with an older fetch: through its dead session and through the writer's path
        StoredToken older = sealing.seal(new CurrentToken(upstreamId, firstFence, appid, "older-token",
                now.plusSeconds(60), now, null));
        assertThat(saveOrFail(first, firstFence, older, status(firstFence, appid, now))).isFalse();
        assertThat(database.save(upstreamId, firstFence, older, status(firstFence, appid, now))).isFalse();
        first.close();

        TokenStateStore.Row row = database.read(upstreamId).orElseThrow();
        assertThat(row.fence()).isEqualTo(secondFence);
        assertThat(row.token().map(sealing::open).map(CurrentToken::accessToken)).contains("newer-token");
        // and the next fence, from either path, is above both
        AdvisoryHold third = ((AdvisoryLocks.Held) locks.tryHold(upstreamId)).hold();
        assertThat(third.takeFence(0)).isGreaterThan(secondFence);
        third.close();
    }

    private static AdvisoryLocks.Asked awaitHeld(AdvisoryLocks locks, long upstreamId) {
        AdvisoryLocks.Asked[] asked = new AdvisoryLocks.Asked[1];
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            asked[0] = locks.tryHold(upstreamId);
            return asked[0] instanceof AdvisoryLocks.Held;
        });
        return asked[0];
    }

    private static boolean saveOrFail(AdvisoryHold hold, long fence, StoredToken token, RefreshStatus status) {
        try {
            return hold.save(fence, token, status);
        } catch (RuntimeException sessionGone) {
            return false;
        }
    }

    private static RefreshStatus status(long sequence, String appid, Instant now) {
        return new RefreshStatus(RefreshState.OK, sequence, appid, now.plusSeconds(60), now, now.plusSeconds(50),
                "scheduled", null, null, "test", 0, now);
    }

    /** Records when each credential's token endpoint answered a call, sampled every 5 ms. */
    private static void countCalls(Map<String, List<Instant>> calls, AtomicBoolean running) {
        Map<String, Long> seen = new HashMap<>();
        while (running.get()) {
            for (int i = 0; i < appids.size(); i++) {
                String appid = appids.get(i);
                String endpoint = i == 0 ? TokenMode.CLASSIC.endpoint().path() : TokenMode.STABLE.endpoint().path();
                long count = simulator.callCount(appid, endpoint);
                long before = seen.getOrDefault(appid, count);
                for (long n = before; n < count; n++) {
                    calls.computeIfAbsent(appid, key -> new CopyOnWriteArrayList<>()).add(Instant.now());
                }
                seen.put(appid, count);
            }
            sleep(5);
        }
    }

    private static HttpResponse<String> read(HttpClient http, ConfigurableApplicationContext node, String path)
            throws Exception {
        int port = Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + clientKey).timeout(Duration.ofSeconds(4)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Thread daemon(Runnable work) {
        Thread thread = new Thread(work, "outage-test");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
