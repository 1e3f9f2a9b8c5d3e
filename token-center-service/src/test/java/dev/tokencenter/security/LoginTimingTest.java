package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login naming an unknown user takes as long as one with a known user and a wrong password: both cost one password
 * hash (Argon2id, tens of milliseconds), so response times do not tell which usernames exist. Without the dummy hash
 * an unknown user would be answered after a primary-key lookup, in a few milliseconds.
 */
@IntegrationTest
class LoginTimingTest {

    private static final int SAMPLES = 25;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    LoginThrottleProperties limits;

    @Test
    void anUnknownUsernameCostsAsMuchAsAWrongPassword() {
        Login known = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient client = LoopbackClients.from(LoopbackClients.newAddress(), port);
        for (int i = 0; i < 3; i++) {
            attempt(client, "nobody-" + AdminApiTestSupport.hex(4), "wrong-password");
            attempt(client, known.username(), known.password());
        }

        List<Long> unknownNanos = new ArrayList<>();
        List<Long> wrongPasswordNanos = new ArrayList<>();
        int failuresOfKnown = 0;
        int failuresFromAddress = 3;
        for (int i = 0; i < SAMPLES; i++) {
            if (failuresFromAddress + 2 > limits.maxFailuresPerAddress()) {
                client = LoopbackClients.from(LoopbackClients.newAddress(), port);
                failuresFromAddress = 0;
            }
            if (failuresOfKnown + 1 >= limits.maxFailuresPerUsername()) {
                assertThat(attempt(client, known.username(), known.password())).isEqualTo(200);
                failuresOfKnown = 0;
            }
            long start = System.nanoTime();
            assertThat(attempt(client, "nobody-" + AdminApiTestSupport.hex(4), "wrong-password")).isEqualTo(401);
            unknownNanos.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(attempt(client, known.username(), "wrong-password")).isEqualTo(401);
            wrongPasswordNanos.add(System.nanoTime() - start);
            failuresOfKnown++;
            failuresFromAddress += 2;
        }

        double unknown = median(unknownNanos) / 1e6;
        double wrongPassword = median(wrongPasswordNanos) / 1e6;
        System.out.printf("login timing, median of %d: unknown user %.1f ms, known user with a wrong password %.1f ms"
                + " (ratio %.2f)%n", SAMPLES, unknown, wrongPassword, unknown / wrongPassword);
        assertThat(unknown / wrongPassword).as("unknown user / wrong password, median response times")
                .isBetween(0.6, 1.67);
    }

    private static int attempt(WebTestClient client, String username, String password) {
        return client.get().uri("/admin/api/me").headers(h -> h.setBasicAuth(username, password)).exchange()
                .returnResult(String.class).getStatus().value();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
