package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrencyTest extends SimulatorTestBase {

    private static final int CALLS = 40;

    private List<String> concurrently(Callable<String> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<String>> futures = pool.invokeAll(IntStream.range(0, CALLS).mapToObj(i -> call).toList());
            List<String> results = new java.util.ArrayList<>();
            for (Future<String> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentClassicFetchesGetDistinctTokensAndOnlyTheLastSurvivesTheGracePeriod() throws Exception {
        List<String> tokens = concurrently(() -> client.classicToken(APPID, SECRET).string("access_token"));

        assertThat(tokens).doesNotContainNull().doesNotHaveDuplicates().hasSize(CALLS);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(CALLS);
        assertThat(sim.callCount(APPID, "/cgi-bin/token")).isEqualTo(CALLS);
        assertThat(tokens).allMatch(token -> sim.tokenValidity(token).valid());

        advance(4);
        Set<String> survivors = tokens.stream().filter(token -> sim.tokenValidity(token).valid())
                .collect(Collectors.toSet());
        assertThat(survivors).hasSize(1);
        String last = survivors.iterator().next();
        assertThat(client.ticket(last).errcode()).isZero();
        assertThat(tokens.stream().filter(token -> !token.equals(last)).limit(5))
                .allSatisfy(token -> assertThat(client.ticket(token).errcode()).isEqualTo(40001));
        String next = client.classicToken(APPID, SECRET).string("access_token");
        advance(4);
        assertThat(sim.tokenValidity(last).valid()).as("the survivor was the latest one").isFalse();
        assertThat(sim.tokenValidity(next).valid()).isTrue();
    }

    @Test
    void concurrentStableCallsShareOneToken() throws Exception {
        List<String> tokens = concurrently(() -> client.stableToken(APPID, SECRET, false).string("access_token"));
        assertThat(Set.copyOf(tokens)).hasSize(1);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(1);
    }

    @Test
    void concurrentLoginCodeExchangesSucceedExactlyOnce() throws Exception {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        List<String> results = concurrently(() -> String.valueOf(client.get("/sns/jscode2session", "appid", APPID,
                "secret", SECRET, "js_code", login.code(), "grant_type", "authorization_code").errcode()));
        assertThat(results.stream().filter("0"::equals).count()).isEqualTo(1);
        assertThat(results.stream().filter("40163"::equals).count()).isEqualTo(CALLS - 1);
    }
}
