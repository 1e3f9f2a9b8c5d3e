package dev.tokencenter.refresh;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The resilience suite: two instances reach PostgreSQL and Redis through proxies that can cut or stall them, four
 * credentials have 20 s tokens (so refreshes fall due during every fault), and clients read tokens over HTTP through
 * both instances without pause while, one after the other, Redis is cut, Redis loses its data, PostgreSQL is cut,
 * PostgreSQL stalls, WeChat fails every other call with -1, and one instance is closed. Each phase is counted (see
 * {@link ResiliencePhase}), the table is printed and written to {@code target/resilience-report.txt}
 * (docs/reliability.md shows it), and what the service guarantees today is asserted.
 *
 * <p>The instance is closed with {@code context.close()}, the nearest to kill -9 in one JVM: its shutdown is orderly
 * and bounded (ClusterRefreshTest closes a lock holder in the middle of an upstream call).
 */
class ResilienceTest {

    private static final Duration LIFETIME = Duration.ofSeconds(20);
    private static final Duration READ_WAIT = Duration.ofSeconds(3);
    private static final Duration ANSWER_WITHIN = READ_WAIT.plusSeconds(1);
    private static final Duration FAULT = Duration.ofSeconds(15);
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    /**
     * Every credential is OK again, with a usable token in Redis and its row persisted, this soon after the fault is
     * lifted (at most 15 s more per phase than its recovery: the whole test stays within its timeout).
     */
    private static final Duration STATE_BOUND = Duration.ofSeconds(15);
    /** Successful fetches of one credential closer than this are two in one cycle (classic ~14 s, stable ~15 s). */
    private static final Duration MINIMUM_SPACING = Duration.ofSeconds(10);
    private static final int READERS_PER_INSTANCE = 2;
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)");

    static StallingProxy postgres;
    static StallingProxy redis;
    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static final List<Cred> creds = new ArrayList<>();
    static String clientKey;

    record Cred(CredentialKey key, long upstreamId, String appid, TokenMode mode) {
        String path() {
            return "/v1/tokens/" + key.tenant() + "/" + key.app() + "/" + key.env();
        }

        UpstreamCallLog.Credential upstream() {
            return new UpstreamCallLog.Credential(appid, mode.endpoint().path());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Matcher url = URL.matcher(TestInfrastructure.get().jdbcUrl());
        assertThat(url.matches()).as(TestInfrastructure.get().jdbcUrl()).isTrue();
        postgres = new StallingProxy(url.group(1), Integer.parseInt(url.group(2)));
        URI redisAddress = URI.create(TestInfrastructure.get().redisAddress());
        redis = new StallingProxy(redisAddress.getHost(), redisAddress.getPort());
        Map<String, Object> settings = new HashMap<>(CompressedRefreshSettings.defaults()
                .refresh("minimum-lead", "6s")
                .refresh("lead-fraction", "0.1")
                .refresh("stable-rotation-window", "6s")
                .refresh("stable-lead", "5s")
                .refresh("classic-grace-period", "5s")
                .refresh("read-wait", READ_WAIT.toMillis() + "ms")
                .refresh("retry-max-backoff", "2s")
                .toMap());
        settings.put("token-center.redis.address", "redis://127.0.0.1:" + redis.port());
        settings.put("spring.datasource.hikari.connection-timeout", "1000");
        settings.put("spring.datasource.hikari.data-source-properties.options", "-c statement_timeout=1500ms");
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(5))
                .withStableRotationWindow(Duration.ofSeconds(6)),
                settings, jdbcUrl -> "jdbc:postgresql://127.0.0.1:" + postgres.port() + url.group(3));
        simulator = cluster.simulator();
        // closing one instance must not stop the other's server, as it would on Reactor Netty's shared event loops
        a = cluster.startOnOwnEventLoops("resilience-a");
        b = cluster.startOnOwnEventLoops("resilience-b");

        RegistryRows rows = new RegistryRows(b);
        String tenant = "res-" + HexFormat.of().formatHex(randomBytes(3));
        for (TokenMode mode : List.of(TokenMode.CLASSIC, TokenMode.STABLE, TokenMode.CLASSIC, TokenMode.STABLE)) {
            String appid = "wx" + HexFormat.of().formatHex(randomBytes(8));
            simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
            CredentialKey key = new CredentialKey(tenant, mode.name().toLowerCase(), appid.substring(2, 12));
            long environmentId = rows.create(key, "WECHAT_MINIPROGRAM", mode.name(), appid, "secret-" + appid);
            creds.add(new Cred(key, rows.upstreamId(environmentId), appid, mode));
        }
        clientKey = b.getBean(ApiClientService.class)
                .createClient("test", tenant, "reader", List.of(new ClientGrant(ClientGrant.ANY, ClientGrant.ANY))).key();
        // both instances know every credential and the client, and hold every token
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ConfigurableApplicationContext node : List.of(a, b)) {
                for (Cred cred : creds) {
                    HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + port(node) + cred.path())).header("Authorization", "Bearer " + clientKey)
                            .timeout(ANSWER_WITHIN).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (read.statusCode() != 200) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        for (StallingProxy proxy : new StallingProxy[] {postgres, redis}) {
            if (proxy != null) {
                proxy.resume();
            }
        }
        if (simulator != null) {
            simulator.clearFaults();
        }
        if (cluster != null) {
            cluster.close();
        }
        for (StallingProxy proxy : new StallingProxy[] {postgres, redis}) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    @Timeout(value = 330, unit = TimeUnit.SECONDS)
    void tokensStayValidAndSingleFetchedThroughEveryFault() throws Exception {
        long started = System.nanoTime();
        List<ResiliencePhase> phases = new ArrayList<>();
        ResiliencePhase steady = new ResiliencePhase("0 steady", "none", false);
        List<UpstreamCallLog.Credential> upstream = creds.stream().map(Cred::upstream).toList();
        try (UpstreamCallLog calls = new UpstreamCallLog(simulator, upstream, steady);
             ResilienceReaders readers = new ResilienceReaders(simulator, creds.stream()
                     .map(cred -> new ResilienceReaders.Target(cred.appid(), cred.path())).toList(),
                     clientKey, ANSWER_WITHIN, steady)) {
            readers.start(port(a), READERS_PER_INSTANCE);
            readers.start(port(b), READERS_PER_INSTANCE);
            PhaseRunner runner = new PhaseRunner(readers, calls);

            phases.add(runner.run(steady, () -> { }, Duration.ofSeconds(8), () -> { }, Duration.ZERO));
            // (a), (b): refreshes are coordinated by the advisory locks in PostgreSQL while Redis is unreachable
            phases.add(runner.run(new ResiliencePhase("a Redis cut", "Redis connections cut", false),
                    redis::cut, FAULT, redis::resume, RECOVERY));
            phases.add(runner.run(new ResiliencePhase("b Redis restarted empty", "Redis cut, its data flushed", false),
                    redis::cut, FAULT, () -> {
                        cluster.flushRedis();
                        redis.resume();
                    }, RECOVERY));
            phases.add(runner.run(new ResiliencePhase("a2 Redis stalled", "Redis answers nothing", false),
                    redis::stall, FAULT, redis::resume, RECOVERY));
            phases.add(runner.run(new ResiliencePhase("c PostgreSQL cut", "PostgreSQL connections cut", false),
                    postgres::cut, FAULT, postgres::resume, RECOVERY));
            phases.add(runner.run(new ResiliencePhase("d PostgreSQL stalled", "PostgreSQL answers nothing", false),
                    postgres::stall, FAULT, postgres::resume, RECOVERY));
            Map<Cred, Long> armedAt = new HashMap<>();
            phases.add(runner.run(new ResiliencePhase("f WeChat -1 on half the calls", "every other token call -1", false),
                    () -> creds.forEach(cred -> {
                        armedAt.put(cred, calls.count(cred.upstream()));
                        String endpoint = cred.mode().endpoint().path();
                        // consumed one per call in order: -1, then a call passed through untouched, and so on
                        for (int i = 0; i < 50; i++) {
                            simulator.injectFault(Fault.errcode(endpoint, cred.appid(), -1, 1));
                            simulator.injectFault(Fault.latency(endpoint, cred.appid(), Duration.ZERO, 1));
                        }
                    }), FAULT, () -> {
                        simulator.clearFaults();
                        creds.forEach(cred -> calls.alternatingFailures(cred.upstream(), armedAt.get(cred),
                                calls.count(cred.upstream())));
                    }, RECOVERY));
            phases.add(runner.run(new ResiliencePhase("e instance closed", "instance a closed, b serves", false),
                    () -> {
                        // clients leave the instance (a load balancer takes it out), then it goes away
                        assertThat(readers.move(port(a), port(b), ANSWER_WITHIN.plusSeconds(1))).isTrue();
                        a.close();
                    }, Duration.ZERO, () -> { }, FAULT.plus(RECOVERY)));
            calls.countDuplicates(MINIMUM_SPACING);
        }

        String report = ResilienceReport.table(phases, String.format("2 instances, %d credentials (classic and stable) "
                        + "with %d s tokens, %d keep-alive HTTP readers, read-wait %d s", creds.size(), LIFETIME.toSeconds(),
                READERS_PER_INSTANCE * 2, READ_WAIT.toSeconds()), Duration.ofNanos(System.nanoTime() - started));
        System.out.println(report);
        ResilienceReport.write(report);

        SoftAssertions softly = new SoftAssertions();
        for (ResiliencePhase phase : phases) {
            softly.assertThat(phase.reads.get()).as("%s: reads", phase.name).isGreaterThan(1000);
            softly.assertThat(phase.invalid.get()).as("%s: invalid tokens served", phase.name).isZero();
            softly.assertThat(phase.hung.get()).as("%s: reads without an answer within %s", phase.name, ANSWER_WITHIN)
                    .isZero();
            softly.assertThat(phase.duplicates).as("%s: duplicate upstream fetches", phase.name).isZero();
            softly.assertThat(phase.rowsLost()).as("%s: token_state rows lost", phase.name).isZero();
            softly.assertThat(phase.rowsAfter).as("%s: token_state rows after", phase.name).isEqualTo(creds.size());
            softly.assertThat(phase.stateBackAfter).as("%s: every credential OK and persisted again within %s",
                    phase.name, STATE_BOUND).isNotNull();
            softly.assertThat(phase.readsBackAfter()).as("%s: reads succeed again after", phase.name)
                    .isLessThanOrEqualTo(RECOVERY);
            if (!phase.failuresAreKnownGap) {
                softly.assertThat(phase.failed.get()).as("%s: failed reads", phase.name).isZero();
            }
        }
        softly.assertAll();
    }

    /** Runs the phases: counts, the fault, its lifting, and the recovery after it. */
    private static final class PhaseRunner {
        private final ResilienceReaders readers;
        private final UpstreamCallLog calls;

        PhaseRunner(ResilienceReaders readers, UpstreamCallLog calls) {
            this.readers = readers;
            this.calls = calls;
        }

        ResiliencePhase run(ResiliencePhase phase, Runnable inject, Duration faultFor, Runnable lift, Duration recoveryFor)
                throws InterruptedException {
            phase.rowsBefore = tokenRows();
            Map<Cred, Long> tokensBefore = creds.stream().collect(Collectors.toMap(cred -> cred, cred ->
                    simulator.tokensIssued(cred.appid())));
            readers.enter(phase);
            calls.enter(phase);
            long started = System.nanoTime();
            inject.run();
            Thread.sleep(faultFor.toMillis());
            lift.run();
            phase.liftedNanos = System.nanoTime();
            phase.faultLasted = Duration.ofNanos(phase.liftedNanos - started);
            phase.stateBackAfter = awaitState(phase.liftedNanos);
            long left = recoveryFor.toNanos() - (System.nanoTime() - phase.liftedNanos);
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            phase.phaseLasted = Duration.ofNanos(System.nanoTime() - started);
            phase.rowsAfter = tokenRows();
            for (Cred cred : creds) {
                List<UpstreamCallLog.Call> made = calls.calls(cred.upstream()).stream()
                        .filter(call -> call.phase() == phase).toList();
                phase.upstreamCalls += made.size();
                phase.callsPerCredential.add((long) made.size());
                phase.faultedCalls += made.stream().filter(call -> calls.faulted(cred.upstream(), call.index())).count();
                phase.newTokens += simulator.tokensIssued(cred.appid()) - tokensBefore.get(cred);
                phase.minimumCalls += phase.phaseLasted.toMillis() / LIFETIME.toMillis();
            }
            return phase;
        }
    }

    /**
     * Waits, at most {@link #STATE_BOUND}, until every credential is OK in Redis with a token that may be served and
     * PostgreSQL holds the same sequence; returns how long that took from {@code liftedNanos}, or null.
     */
    private static Duration awaitState(long liftedNanos) throws InterruptedException {
        RedisTokenStore store = b.getBean(RedisTokenStore.class);
        JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
        List<Long> ids = creds.stream().map(Cred::upstreamId).toList();
        long deadline = liftedNanos + STATE_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<Long, RefreshStatus> statuses = store.statuses(ids);
                Map<Long, Long> persisted = new HashMap<>();
                jdbc.query("select upstream_id, sequence from token_state where upstream_id in ("
                        + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")",
                        row -> {
                            persisted.put(row.getLong(1), row.getLong(2));
                        });
                Instant now = simulator.clock().now();
                boolean converged = ids.stream().allMatch(id -> {
                    RefreshStatus status = statuses.get(id);
                    return status != null && status.state() == RefreshState.OK && status.hasToken()
                            && status.expiresAt().minusSeconds(1).isAfter(now)
                            && Long.valueOf(status.sequence()).equals(persisted.get(id));
                });
                if (converged) {
                    return Duration.ofNanos(System.nanoTime() - liftedNanos);
                }
            } catch (RuntimeException e) {
                // Redis or PostgreSQL not back yet
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** token_state rows of the credentials that hold a token. */
    private static long tokenRows() {
        try {
            return b.getBean(JdbcTemplate.class).queryForObject("select count(*) from token_state where upstream_id in ("
                    + creds.stream().map(cred -> String.valueOf(cred.upstreamId())).collect(Collectors.joining(","))
                    + ") and token_envelope is not null", Long.class);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
