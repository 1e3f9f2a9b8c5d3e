package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.TokenSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three service instances on one PostgreSQL, one Redis and one simulator with 14 s tokens: exactly one upstream
 * fetch per credential per cycle under continuous reads, one coalesced first fetch, and a lock holder killed in the
 * middle of a refresh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRefreshTest {

    private static final Duration LIFETIME = Duration.ofSeconds(14);
    private static final Duration MINIMUM_LIFETIME = Duration.ofSeconds(1);
    private static final int LIFETIMES = 3;
    /** Two fetches of one credential closer than this would be two fetches in one cycle. */
    private static final Map<TokenMode, Duration> MINIMUM_CYCLE = Map.of(
            TokenMode.CLASSIC, Duration.ofMillis(5500),   // 13 s seen - 6.5 s lead - 0.5 s jitter
            TokenMode.STABLE, Duration.ofMillis(9000),    // 13 s seen - 3.5 s stable lead + 0..0.5 s jitter
            TokenMode.WECOM, Duration.ofMillis(12500));   // at expiry + 0.5 s

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static List<ConfigurableApplicationContext> nodes;
    static RegistryRows rows;

    record Cred(CredentialKey key, long environmentId, long upstreamId, String appid, TokenMode mode) {
        String endpoint() {
            return mode.endpoint().path();
        }
    }

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofSeconds(6))
                .withStableRotationWindow(Duration.ofSeconds(5)),
                Map.ofEntries(
                        Map.entry("token-center.refresh.scheduler-period", "250ms"),
                        Map.entry("token-center.refresh.minimum-lifetime", "1s"),
                        Map.entry("token-center.refresh.wecom-minimum-lifetime", "1s"),
                        Map.entry("token-center.refresh.minimum-lead", "7s"),
                        Map.entry("token-center.refresh.stable-rotation-window", "5s"),
                        Map.entry("token-center.refresh.stable-lead", "3500ms"),
                        Map.entry("token-center.refresh.jitter", "500ms"),
                        Map.entry("token-center.refresh.wecom-rollover-delay", "500ms"),
                        Map.entry("token-center.refresh.lock-lease", "5200ms"),
                        Map.entry("token-center.refresh.read-wait", "4s"),
                        Map.entry("token-center.refresh.retry-initial-backoff", "300ms"),
                        Map.entry("token-center.refresh.retry-max-backoff", "2s"),
                        Map.entry("token-center.wechat.connect-timeout", "300ms"),
                        Map.entry("token-center.wechat.response-timeout", "1500ms")));
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
    @Order(1)
    void firstUseIsOneCoalescedFetchClusterWide() {
        String appid = newAppid(TokenMode.CLASSIC);
        simulator.registerApp(appid, "secret-" + appid, Platform.WECHAT);
        simulator.injectFault(Fault.latency(TokenMode.CLASSIC.endpoint().path(), appid, Duration.ofMillis(700), 1));
        CredentialKey key = new CredentialKey("first-use", "app", appid.substring(2, 12));
        rows.create(key, "WECHAT_OFFICIAL_ACCOUNT", "CLASSIC", appid, "secret-" + appid);

        List<reactor.core.publisher.Mono<IssuedToken>> readers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            readers.add(source(nodes.get(i % 3)).current(key));
        }
        List<IssuedToken> answers = reactor.core.publisher.Flux.merge(readers).collectList().block(Duration.ofSeconds(10));

        assertThat(answers).hasSize(30);
        assertThat(answers.stream().map(IssuedToken::accessToken).distinct()).hasSize(1);
        assertThat(simulator.callCount(appid, "/cgi-bin/token")).isEqualTo(1);
        assertThat(simulator.tokenValidity(answers.get(0).accessToken()).valid()).isTrue();
    }

    @Test
    @Order(2)
    void fiftyCredentialsOfMixedModesGetExactlyOneFetchPerCycleWhileClientsRead() throws InterruptedException {
        List<Cred> creds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TokenMode mode = TokenMode.values()[i % 3];
            creds.add(newCredential("cluster", mode));
        }
        RedisTokenStore store = nodes.get(0).getBean(RedisTokenStore.class);
        List<Long> ids = creds.stream().map(Cred::upstreamId).toList();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(ids);
            return statuses.size() == creds.size() && statuses.values().stream().allMatch(RefreshStatus::hasToken);
        });

        Instant phaseStart = Instant.now();
        Instant phaseEnd = phaseStart.plus(LIFETIME.multipliedBy(LIFETIMES));
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread reader = new Thread(() -> read(creds, reading, reads, failures), "reader-" + r);
            reader.start();
            readers.add(reader);
        }
        Map<Long, List<RefreshStatus>> observed = new HashMap<>();
        while (Instant.now().isBefore(phaseEnd)) {
            store.statuses(ids).forEach((id, status) -> {
                List<RefreshStatus> seen = observed.computeIfAbsent(id, x -> new ArrayList<>());
                if (seen.isEmpty() || seen.get(seen.size() - 1).sequence() != status.sequence()) {
                    seen.add(status);
                }
            });
            Thread.sleep(100);
        }
        reading.set(false);
        for (Thread reader : readers) {
            reader.join(15_000);
        }

        // every call produced a new token, every token was stored, in order (read when no refresh is in flight)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<Long, RefreshStatus> statuses = store.statuses(ids);
            for (Cred cred : creds) {
                long calls = simulator.callCount(cred.appid(), cred.endpoint());
                assertThat(simulator.tokensIssued(cred.appid())).as("tokens issued for the calls of %s (%s)", cred.key(), cred.mode())
                        .isEqualTo(calls);
                assertThat(statuses.get(cred.upstreamId()).sequence()).as("stored sequence of %s (%s)", cred.key(), cred.mode())
                        .isEqualTo(calls);
            }
        });

        Map<TokenMode, Long> fetchesByMode = new HashMap<>();
        long cycles = 0;
        for (Cred cred : creds) {
            List<RefreshStatus> seen = observed.get(cred.upstreamId());
            long calls = simulator.callCount(cred.appid(), cred.endpoint());
            fetchesByMode.merge(cred.mode(), calls, Long::sum);
            cycles += calls;
            // each fetch observed, one at a time: the sequence never skipped a value
            List<Long> sequences = seen.stream().map(RefreshStatus::sequence).toList();
            assertThat(sequences).as("sequences of %s", cred.key()).isEqualTo(
                    java.util.stream.LongStream.rangeClosed(sequences.get(0), sequences.get(sequences.size() - 1)).boxed().toList());
            // no two fetches in one cycle
            for (int i = 1; i < seen.size(); i++) {
                Duration spacing = Duration.between(seen.get(i - 1).obtainedAt(), seen.get(i).obtainedAt());
                assertThat(spacing).as("fetch spacing of %s (%s)", cred.key(), cred.mode())
                        .isGreaterThanOrEqualTo(MINIMUM_CYCLE.get(cred.mode()));
            }
            // and at least one per lifetime: the token never lapsed
            Duration span = Duration.between(seen.get(0).obtainedAt(), phaseEnd);
            long fetches = seen.get(seen.size() - 1).sequence();
            assertThat(fetches - 1).as("refreshes of %s over %s", cred.key(), span)
                    .isGreaterThanOrEqualTo(span.toMillis() / LIFETIME.plusSeconds(1).toMillis())
                    .isLessThanOrEqualTo(span.toMillis() / MINIMUM_CYCLE.get(cred.mode()).toMillis() + 1);
        }
        Set<String> refreshers = store.statuses(ids).values().stream().map(RefreshStatus::refreshedBy).collect(Collectors.toSet());

        System.out.printf("cluster: %d credentials, %d s (%d lifetimes of %d s), %d upstream fetches (%s), %d reads, "
                        + "%d failed reads, 0 duplicate fetches, refreshed by %s%n",
                creds.size(), Duration.between(phaseStart, phaseEnd).toSeconds(), LIFETIMES, LIFETIME.toSeconds(), cycles,
                fetchesByMode, reads.get(), failures.size(), refreshers);
        assertThat(failures).as("failed or invalid reads").isEmpty();
        assertThat(reads.get()).isGreaterThan(10_000);
        assertThat(refreshers).as("every instance takes part").hasSize(3);
    }

    @Test
    @Order(3)
    void killingTheLockHolderMidRefreshLetsAnotherInstanceFinishBeforeTheMinimumLifetime() {
        Cred cred = newCredential("kill", TokenMode.CLASSIC);
        RedisTokenStore store = nodes.get(0).getBean(RedisTokenStore.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.status(cred.upstreamId()).map(RefreshStatus::hasToken).orElse(false));
        RefreshStatus before = store.status(cred.upstreamId()).orElseThrow();
        // longer than the response timeout: the stopping instance cannot wait for the answer, as if it had been killed
        // (an answer within the timeout would be stored by the stopping instance: ShutdownMidCallTest)
        simulator.injectFault(Fault.latency(cred.endpoint(), cred.appid(), Duration.ofMillis(2000), 1));

        // wait for the scheduled refresh to be on the wire, then kill the instance holding the lock
        await().pollInterval(Duration.ofMillis(5)).atMost(LIFETIME).until(() ->
                simulator.callCount(cred.appid(), cred.endpoint()) == 2 && holder(cred) != null);
        ConfigurableApplicationContext holder = holder(cred);
        String holderId = holder.getBean(InstanceIdentity.class).id();
        List<ConfigurableApplicationContext> survivors = nodes.stream().filter(node -> node != holder).toList();
        AtomicBoolean reading = new AtomicBoolean(true);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                checkRead(survivors.get((int) (reads.get() % 2)), cred, reads, failures);
                LockSupport.parkNanos(2_000_000);
            }
        }, "survivor-reader");
        reader.start();
        holder.close();

        RedisTokenStore surviving = survivors.get(0).getBean(RedisTokenStore.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            RefreshStatus now = surviving.status(cred.upstreamId()).orElseThrow();
            return now.state() == RefreshState.OK && now.obtainedAt().isAfter(before.obtainedAt());
        });
        RefreshStatus after = surviving.status(cred.upstreamId()).orElseThrow();
        assertThat(after.refreshedBy()).isNotEqualTo(holderId).isIn(survivors.stream()
                .map(node -> node.getBean(InstanceIdentity.class).id()).toList());
        assertThat(after.obtainedAt()).as("finished before the old token reached its minimum lifetime")
                .isBefore(before.expiresAt().minus(MINIMUM_LIFETIME));
        // the killed instance's call (answered late, dropped) and the survivor's call
        assertThat(simulator.callCount(cred.appid(), cred.endpoint())).isEqualTo(3);

        // the late answer upstream came before the survivor's fetch, so the stored token is the newest: it lives on
        String current = source(survivors.get(0)).current(cred.key()).block().accessToken();
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> true);
        TokenValidity validity = simulator.tokenValidity(current);
        assertThat(validity.valid()).isTrue();
        assertThat(validity.expiresAt()).isAfterOrEqualTo(after.obtainedAt().plus(LIFETIME).minusSeconds(1));
        reading.set(false);
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static void read(List<Cred> creds, AtomicBoolean reading, AtomicLong reads, Queue<String> failures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (reading.get()) {
            checkRead(nodes.get(random.nextInt(nodes.size())), creds.get(random.nextInt(creds.size())), reads, failures);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** One read through TokenSource, checked against the simulator at the moment it was served. */
    private static void checkRead(ConfigurableApplicationContext node, Cred cred, AtomicLong reads, Queue<String> failures) {
        try {
            IssuedToken token = source(node).current(cred.key()).block(Duration.ofSeconds(10));
            Instant servedAt = simulator.clock().now();
            TokenValidity validity = simulator.tokenValidity(token.accessToken());
            if (!cred.appid().equals(validity.appid()) || validity.expiresAt() == null || !validity.expiresAt().isAfter(servedAt)) {
                failures.add(cred.key() + " (" + cred.mode() + ") served a token not valid upstream at " + servedAt
                        + ": " + validity);
            } else if (!token.usableUntil().isAfter(servedAt)) {
                failures.add(cred.key() + " served past its minimum lifetime at " + servedAt);
            }
        } catch (RuntimeException e) {
            failures.add(cred.key() + " (" + cred.mode() + ") read failed: " + e);
        }
        reads.incrementAndGet();
    }

    private static ConfigurableApplicationContext holder(Cred cred) {
        return nodes.stream()
                .filter(ConfigurableApplicationContext::isActive)
                .filter(node -> node.getBean(RefreshEngine.class).refreshingHere().contains(cred.upstreamId()))
                .findFirst().orElse(null);
    }

    private static TokenSource source(ConfigurableApplicationContext node) {
        return node.getBean(TokenSource.class);
    }

    private static Cred newCredential(String tenant, TokenMode mode) {
        String appid = newAppid(mode);
        String secret = "secret-" + appid;
        simulator.registerApp(appid, secret, mode == TokenMode.WECOM ? Platform.WECOM : Platform.WECHAT);
        CredentialKey key = new CredentialKey(tenant, mode.name().toLowerCase(), appid.substring(2, 12));
        String platform = mode == TokenMode.WECOM ? "WECOM" : "WECHAT_MINIPROGRAM";
        long environmentId = rows.create(key, platform, mode == TokenMode.CLASSIC ? "CLASSIC" : "STABLE", appid, secret);
        return new Cred(key, environmentId, rows.upstreamId(environmentId), appid, mode);
    }

    private static String newAppid(TokenMode mode) {
        byte[] bytes = new byte[8];
        ThreadLocalRandom.current().nextBytes(bytes);
        return (mode == TokenMode.WECOM ? "ww" : "wx") + HexFormat.of().formatHex(bytes);
    }
}
