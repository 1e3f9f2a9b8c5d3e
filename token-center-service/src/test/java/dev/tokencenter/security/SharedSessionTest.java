package dev.tokencenter.security;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin sessions live in Redis (so every instance knows them): stored under the SHA-256 of the session id with only
 * the username, expiring after the idle timeout; a login issues a new id and forgets the one it came with; a logout
 * deletes the session.
 */
@IntegrationTest
class SharedSessionTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    RedissonClient redisson;

    @Test
    void aSessionIsStoredHashedWithOnlyTheUsernameRotatedAtLoginAndDeletedAtLogout() {
        WebTestClient http = AdminApiTestSupport.client(port);
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        SessionLogins.Session first = SessionLogins.login(http, user.username(), user.password());

        String key = RedisWebSessionStore.key(first.id());
        String stored = redisson.<String>getBucket(key, StringCodec.INSTANCE).get();
        assertThat(stored).contains(user.username()).doesNotContain(user.password()).doesNotContain(first.id());
        assertThat(redisson.getKeys().getKeysStream().filter(k -> k.contains(first.id())).count()).isZero();
        long ttl = redisson.getBucket(key).remainTimeToLive();
        assertThat(Duration.ofMillis(ttl)).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));

        // logging in again from that session: a new id, and the old one no longer works
        String csrf = first.csrf();
        String secondId = http.post().uri("/admin/login").cookie("SESSION", first.id()).cookie("XSRF-TOKEN", csrf)
                .header("X-XSRF-TOKEN", csrf).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(SessionLogins.form(user.username(), user.password())))
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseCookies().getFirst("SESSION").getValue();
        assertThat(secondId).isNotEqualTo(first.id());
        http.get().uri("/admin/api/me").cookie("SESSION", first.id()).exchange().expectStatus().isUnauthorized();
        assertThat(redisson.getBucket(key).isExists()).isFalse();
        http.get().uri("/admin/api/me").cookie("SESSION", secondId).exchange().expectStatus().isOk();

        http.post().uri("/admin/logout").cookie("SESSION", secondId).cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf)
                .exchange().expectStatus().isNoContent();
        assertThat(redisson.getBucket(RedisWebSessionStore.key(secondId)).isExists()).isFalse();
        http.get().uri("/admin/api/me").cookie("SESSION", secondId).exchange().expectStatus().isUnauthorized();
    }

    /**
     * Session requests continue on the connection's event loop after each Redis call: answered from a Redisson thread,
     * Reactor Netty could stop reading the keep-alive connection, and a browser's next request on it hung.
     */
    @Test
    void sessionRequestsOnKeepAliveConnectionsAreAllAnswered() throws Exception {
        Login user = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        SessionLogins.Session session = SessionLogins.login(AdminApiTestSupport.client(port), user.username(), user.password());
        String cookies = "SESSION=" + session.id() + "; XSRF-TOKEN=" + session.csrf();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int reader = 0; reader < 8; reader++) {
            readers.add(new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i = 0; i < 40 && failures.isEmpty(); i++) {
                    String path = i % 2 == 0 ? "/admin/api/me" : "/admin/index.html";
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Cookie", cookies).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 200) {
                            failures.add(path + " answered " + answer.statusCode());
                        }
                    } catch (Exception e) {
                        failures.add(path + " #" + i + ": " + e);
                    }
                }
            }));
        }
        readers.forEach(Thread::start);
        for (Thread reader : readers) {
            reader.join(Duration.ofSeconds(120).toMillis());
        }
        assertThat(failures).isEmpty();
    }
}
