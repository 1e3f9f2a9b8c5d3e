package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed admin logins (HTTP Basic and the session login) are limited per username: over the limit, 429 with
 * Retry-After and a problem detail, even for the right password and from any address; a success resets the count.
 * Each test speaks from loopback addresses of its own. The limit per address: {@link AdminAuthenticationClusterTest}.
 */
@IntegrationTest
class LoginThrottleTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    LoginThrottleProperties limits;

    @Test
    void aUsernameOverItsLimitGets429FromEveryAddressEvenWithTheRightPassword() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient first = LoopbackClients.from(LoopbackClients.newAddress(), port);
        for (int i = 0; i < limits.maxFailuresPerUsername(); i++) {
            basic(first, user.username(), "wrong-password").expectStatus().isUnauthorized();
        }

        for (WebTestClient client : new WebTestClient[] {first, LoopbackClients.from(LoopbackClients.newAddress(), port)}) {
            EntityExchangeResult<String> refused = basic(client, user.username(), user.password())
                    .expectStatus().isEqualTo(429)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).returnResult();
            assertThat(refused.getResponseBody()).contains("https://token-center.dev/problems/login-throttled");
            long retryAfter = Long.parseLong(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
            assertThat(retryAfter).isBetween(1L, limits.window().toSeconds());
        }

        SessionLogins.submit(first, user.username(), user.password())
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.type").isEqualTo("https://token-center.dev/problems/login-throttled");
    }

    @Test
    void aSuccessfulLoginResetsTheUsernamesCount() {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        WebTestClient client = LoopbackClients.from(LoopbackClients.newAddress(), port);
        for (int i = 0; i < limits.maxFailuresPerUsername() - 1; i++) {
            basic(client, user.username(), "wrong-password").expectStatus().isUnauthorized();
        }
        SessionLogins.login(client, user.username(), user.password());

        for (int i = 0; i < limits.maxFailuresPerUsername(); i++) {
            basic(client, user.username(), "wrong-password").expectStatus().isUnauthorized();
        }
        basic(client, user.username(), user.password()).expectStatus().isEqualTo(429);
    }

    private static WebTestClient.ResponseSpec basic(WebTestClient client, String username, String password) {
        return client.get().uri("/admin/api/me").headers(h -> h.setBasicAuth(username, password)).exchange();
    }
}
