package dev.tokencenter.client;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of made-up client keys (right shape, unknown client ids) reaches PostgreSQL at most
 * {@code unknown-lookups-per-second} times per second plus the burst; the admin API and existing keys keep answering.
 */
@IntegrationTest
class UnknownClientKeyFloodTest {

    private static final int FLOOD = 2000;
    private static final int CONCURRENCY = 64;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ClientKeyCacheProperties settings;

    @Test
    void madeUpKeysReachPostgresqlAtABoundedRateWhileEverythingElseKeepsWorking() throws Exception {
        TokenApiFixture fixture = new TokenApiFixture(context);
        String tenant = fixture.tenant();
        Credential shop = fixture.wechat(tenant, "shop", "prod");
        CreatedClient warm = fixture.client(tenant, "shop/prod");
        CreatedClient cold = fixture.client(tenant, "shop/prod");
        Login viewer = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        java.net.http.HttpClient plain = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(token(plain, shop, warm.key()).statusCode()).isEqualTo(200);

        // concurrent first requests for one id share one query, for a made-up id and for a new client alike; the
        // callers block on threads of their own, not on the service's boundedElastic pool (which its lookup needs)
        Scheduler callers = Schedulers.newBoundedElastic(32, 64, "flood-test-callers");
        try {
            for (String key : List.of(ClientKeys.newKey(ClientKeys.newClientId()), fixture.client(tenant, "shop/prod").key())) {
                double before = storeReads();
                Flux.range(0, 32).flatMap(i -> Mono.fromCallable(() -> token(plain, shop, key).statusCode())
                        .subscribeOn(callers), 32).collectList().block(Duration.ofSeconds(30));
                assertThat(storeReads() - before).as("reads for 32 concurrent first requests with one key").isEqualTo(1);
            }
        } finally {
            callers.dispose();
        }

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            keys.add(ClientKeys.newKey(ClientKeys.newClientId()));
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Queue<String> refusedWithoutRetryAfter = new ConcurrentLinkedQueue<>();
        Queue<String> lookedUp = new ConcurrentLinkedQueue<>();
        Queue<Long> adminMillis = new ConcurrentLinkedQueue<>();
        Queue<String> sideFailures = new ConcurrentLinkedQueue<>();
        AtomicBoolean flooding = new AtomicBoolean(true);

        Thread sideTraffic = new Thread(() -> {
            boolean coldTried = false;
            while (flooding.get()) {
                try {
                    long start = System.nanoTime();
                    HttpResponse<String> tenants = plain.send(HttpRequest.newBuilder(uri("/admin/api/tenants"))
                            .header("Authorization", basic(viewer)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    adminMillis.add((System.nanoTime() - start) / 1_000_000);
                    check(tenants.statusCode() == 200, "admin GET /admin/api/tenants " + tenants.statusCode(), sideFailures);
                    check(token(plain, shop, warm.key()).statusCode() == 200, "warm key", sideFailures);
                    if (!coldTried) {
                        coldTried = true;
                        check(token(plain, shop, cold.key()).statusCode() == 200, "first use of a known key", sideFailures);
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    sideFailures.add(e.toString());
                }
            }
        }, "flood-side-traffic");

        ConnectionProvider connections = ConnectionProvider.create("flood", CONCURRENCY);
        HttpClient flood = HttpClient.create(connections).baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(10));
        double readsBefore = storeReads();
        long start = System.nanoTime();
        sideTraffic.start();
        try {
            Flux.fromIterable(keys)
                    .flatMap(key -> flood.headers(h -> h.set("Authorization", "Bearer " + key))
                            .get().uri(shop.path())
                            .responseSingle((response, body) -> {
                                int status = response.status().code();
                                statuses.merge(status, 1, Integer::sum);
                                if (status == 503 && response.responseHeaders().get("Retry-After") == null) {
                                    refusedWithoutRetryAfter.add(key);
                                }
                                if (status == 401) {
                                    lookedUp.add(key);
                                }
                                return body.asString().defaultIfEmpty("");
                            }), CONCURRENCY)
                    .blockLast(Duration.ofSeconds(120));
        } finally {
            flooding.set(false);
            sideTraffic.join(20_000);
            connections.dispose();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double reads = storeReads() - readsBefore;
        // the side traffic: the cold client's first read, background refreshes of the warm one and the viewer
        double allowed = settings.unknownLookupsPerSecond() * seconds + settings.unknownLookupBurst()
                + 1 + Math.ceil(seconds / settings.refreshAfter().toSeconds()) + 2;
        List<Long> admin = new ArrayList<>(adminMillis);
        Collections.sort(admin);
        System.out.printf("flood: %d made-up keys in %.2f s (%.0f/s), statuses %s, client reads from PostgreSQL %.0f"
                        + " (allowed %.0f), admin GET /admin/api/tenants x%d: median %d ms, max %d ms%n",
                FLOOD, seconds, FLOOD / seconds, statuses, reads, allowed, admin.size(),
                admin.isEmpty() ? -1 : admin.get(admin.size() / 2), admin.isEmpty() ? -1 : admin.get(admin.size() - 1));

        assertThat(reads).as("client reads from PostgreSQL").isLessThanOrEqualTo(allowed);
        assertThat(sideFailures).isEmpty();
        assertThat(statuses.keySet()).isSubsetOf(401, 503);
        assertThat(statuses.getOrDefault(503, 0)).as("lookups refused by the limiter").isPositive();
        assertThat(refusedWithoutRetryAfter).isEmpty();
        assertThat(admin).isNotEmpty();
        assertThat(admin.get(admin.size() - 1)).as("slowest admin call during the flood, ms").isLessThan(5000);

        // ids found unknown are remembered: sending their keys again costs no query and gets 401, not 503
        List<String> again = lookedUp.stream().limit(20).toList();
        double before = storeReads();
        for (String key : again) {
            assertThat(token(plain, shop, key).statusCode()).isEqualTo(401);
        }
        assertThat(storeReads() - before).isZero();

        // a change of that client forgets that it was unknown (here: an event as a creation would publish)
        String forgotten = again.get(0);
        context.publishEvent(new ApiClientChangedEvent(ClientKeys.clientIdOrNull(forgotten), tenant, false));
        before = storeReads();
        assertThat(token(plain, shop, forgotten).statusCode()).isEqualTo(401);
        assertThat(storeReads() - before).isEqualTo(1);
    }

    private static void check(boolean ok, String what, Queue<String> failures) {
        if (!ok) {
            failures.add(what);
        }
    }

    private HttpResponse<String> token(java.net.http.HttpClient http, Credential credential, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(credential.path())).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String basic(Login login) {
        return "Basic " + Base64.getEncoder().encodeToString(
                (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    }

    private double storeReads() {
        return meters.get("token_center.clients.store.reads").counter().count();
    }
}
