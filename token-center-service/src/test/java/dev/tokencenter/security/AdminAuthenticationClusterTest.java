package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.audit.RefusalAudit;
import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.StandaloneInstance;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second instance ("B", small limits, 127.0.0.1 as its trusted proxy, its Redis reached through a proxy that can
 * stall) next to the test context ("A"): failed logins count on every instance; behind a trusted proxy the client is
 * the forwarded address, otherwise X-Forwarded-For is ignored; refused requests are audited within their limits and
 * summarized; with Redis stalled, logins answer in time and are still throttled, in memory.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAuthenticationClusterTest {

    private static final AtomicInteger NEXT_TEST_NET = new AtomicInteger(1);
    private static final int PER_USERNAME = 3;
    private static final int PER_ADDRESS = 5;
    private static final int AUDIT_PER_SOURCE = 3;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int REFUSED = 20;

    static StallingProxy redisProxy;
    static ConfigurableApplicationContext instanceB;

    @LocalServerPort
    int portA;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void startInstanceB() throws Exception {
        URI redis = URI.create(TestInfrastructure.get().redisAddress());
        redisProxy = new StallingProxy(redis.getHost(), redis.getPort());
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("token-center.redis.address", "redis://127.0.0.1:" + redisProxy.port());
        properties.put("token-center.security.client-address.trusted-proxies", "127.0.0.1/32");
        properties.put("token-center.admin.login-throttle.max-failures-per-username", PER_USERNAME);
        properties.put("token-center.admin.login-throttle.max-failures-per-address", PER_ADDRESS);
        properties.put("token-center.admin.login-throttle.window", "1m");
        properties.put("token-center.audit.refusals.max-per-source", AUDIT_PER_SOURCE);
        properties.put("token-center.audit.refusals.window", WINDOW.toString());
        instanceB = StandaloneInstance.start("instance-b", properties);
    }

    @AfterAll
    static void stopInstanceB() throws Exception {
        if (redisProxy != null) {
            redisProxy.resume();
        }
        if (instanceB != null) {
            instanceB.close();
        }
        if (redisProxy != null) {
            redisProxy.close();
        }
    }

    @Test
    void failuresOnOneInstanceCountOnTheOthers() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient onA = LoopbackClients.from(LoopbackClients.newAddress(), portA);
        Login other = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        basic(onA, null, other.username(), other.password()).expectStatus().isOk();
        basic(LoopbackClients.from(LoopbackClients.newAddress(), portB()), null, other.username(), other.password())
                .expectStatus().isOk();
        for (int i = 0; i < PER_USERNAME; i++) {
            basic(onA, null, user.username(), "wrong-password").expectStatus().isUnauthorized();
        }
        basic(LoopbackClients.from(LoopbackClients.newAddress(), portB()), null, user.username(), user.password())
                .expectStatus().isEqualTo(429).expectHeader().exists(HttpHeaders.RETRY_AFTER);
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsCountedAndNeverOtherwise() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient viaProxy = LoopbackClients.from("127.0.0.1", portB());
        String noisy = testNet();
        for (int i = 0; i < PER_ADDRESS; i++) {
            basic(viaProxy, noisy, "nobody-" + AdminApiTestSupport.hex(4), "wrong-password").expectStatus().isUnauthorized();
        }

        basic(viaProxy, noisy, user.username(), user.password()).expectStatus().isEqualTo(429);
        basic(viaProxy, "198.51.100.1, " + noisy, user.username(), user.password()).expectStatus().isEqualTo(429);
        basic(viaProxy, testNet(), user.username(), user.password()).expectStatus().isOk();
        basic(viaProxy, noisy + ", " + testNet(), user.username(), user.password()).expectStatus().isOk();
        WebTestClient direct = LoopbackClients.from(LoopbackClients.newAddress(), portB());
        basic(direct, noisy, user.username(), user.password()).expectStatus().isOk();
    }

    @Test
    void refusedRequestsAreAuditedWithinTheirLimitsAndTheRestIsSummarized() {
        WebTestClient viaProxy = LoopbackClients.from("127.0.0.1", portB());
        String address = testNet();
        String password = "never-recorded-" + AdminApiTestSupport.hex(8);
        Instant start = Instant.now().minusSeconds(1);
        long startNanos = System.nanoTime();
        // the callers block on threads of their own, not on the service's boundedElastic pool
        Scheduler callers = Schedulers.newBoundedElastic(8, 64, "refusal-test-callers");
        try {
            Flux.range(0, REFUSED).flatMap(i -> Mono.fromRunnable(() -> viaProxy.get().uri("/admin/api/tenants")
                    .header("X-Forwarded-For", address).exchange().expectStatus().isUnauthorized())
                    .subscribeOn(callers), 8).blockLast(Duration.ofSeconds(60));
        } finally {
            callers.dispose();
        }
        long windows = 1 + (System.nanoTime() - startNanos) / WINDOW.toNanos() + 1;
        basic(viaProxy, address, "mallory\n<script>", password).expectStatus().isUnauthorized();

        // at most AUDIT_PER_SOURCE per window (the sending may span the end of one)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(records(address, "unauthenticated")).isBetween((long) AUDIT_PER_SOURCE, AUDIT_PER_SOURCE * windows);
            assertThat(records(address, "bad-credentials")).isEqualTo(1);
        });
        long recorded = records(address, "unauthenticated");
        System.out.println(REFUSED + " refused requests from one address: " + recorded + " audit records");
        assertThat(jdbc.queryForObject("""
                select actor || ' ' || target || ' ' || outcome || ' ' || (details->>'status') from audit_event
                 where action = ? and details->>'address' = ? and details->>'reason' = 'bad-credentials'""",
                String.class, RefusalAudit.ACTION, address)).isEqualTo("mallory?<script> GET /admin/api/me DENIED 401");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc.queryForObject("""
                select coalesce(sum((details->'by_reason'->>'unauthenticated')::int), 0) from audit_event
                 where action = ? and at >= ?""", Long.class, RefusalAudit.SUMMARY_ACTION, Timestamp.from(start)))
                .isGreaterThanOrEqualTo(REFUSED - recorded));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor like ? or target like ?"
                + " or details::text like ?", Long.class, "%" + password + "%", "%" + password + "%", "%" + password + "%"))
                .isZero();

        Login viewer = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        AdminApiTestSupport.client(portA).get().uri("/admin/api/audit?size=200").headers(viewer.basic()).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.events[?(@.action == 'admin.request.refused' && @.details.address == '" + address + "')]")
                .isNotEmpty();
    }

    /** Last: for a few seconds after Redis answers again, instance B still counts in memory. */
    @Test
    @Order(Integer.MAX_VALUE)
    void withRedisStalledLoginsAnswerInTimeAndAreStillThrottled() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient viaProxy = LoopbackClients.from("127.0.0.1", portB());
        String address = testNet();
        redisProxy.stall();
        try {
            long slowest = 0;
            for (int i = 0; i < PER_ADDRESS + 1; i++) {
                long start = System.nanoTime();
                if (i == 0) {
                    basic(viaProxy, address, user.username(), user.password()).expectStatus().isOk();
                } else {
                    basic(viaProxy, address, "nobody-" + AdminApiTestSupport.hex(4), "wrong-password")
                            .expectStatus().isUnauthorized();
                }
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            }
            long start = System.nanoTime();
            basic(viaProxy, address, user.username(), user.password()).expectStatus().isEqualTo(429);
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            System.out.println("logins with Redis stalled: slowest answer " + slowest + " ms");
            assertThat(slowest).isLessThan(3000);
        } finally {
            redisProxy.resume();
        }
    }

    private long records(String address, String reason) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ? and details->>'address' = ?"
                + " and details->>'reason' = ?", Long.class, RefusalAudit.ACTION, address, reason);
    }

    private static WebTestClient.ResponseSpec basic(WebTestClient client, String forwardedFor, String username,
                                                    String password) {
        return client.get().uri("/admin/api/me").headers(h -> {
            h.setBasicAuth(username, password);
            if (forwardedFor != null) {
                h.set("X-Forwarded-For", forwardedFor);
            }
        }).exchange();
    }

    /**
     * An address of TEST-NET-3 (203.0.113.0/24) as if a proxy forwarded it, never the same one twice in a run: two
     * tests (or two calls of one) drawing the same address would share its failure count.
     */
    private static String testNet() {
        int next = NEXT_TEST_NET.getAndIncrement();
        assertThat(next).as("test-net addresses left").isLessThanOrEqualTo(254);
        return "203.0.113." + next;
    }

    private static int portB() {
        return Integer.parseInt(instanceB.getEnvironment().getProperty("local.server.port"));
    }
}
