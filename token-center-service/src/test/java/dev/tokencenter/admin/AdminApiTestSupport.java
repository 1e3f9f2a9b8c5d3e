package dev.tokencenter.admin;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Helpers for tests of the admin API: admin users per role, random slugs and credentials, a client on a port. */
public final class AdminApiTestSupport {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminApiTestSupport() {
    }

    public record Login(String username, String password) {

        public Consumer<HttpHeaders> basic() {
            return headers -> headers.setBasicAuth(username, password);
        }
    }

    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    /** A new admin user with {@code role} (and a password nobody else uses). */
    public static Login user(ApplicationContext context, AdminRole role) {
        String username = role.name().toLowerCase() + "-" + hex(4);
        String password = "pw-" + hex(12);
        context.getBean(AdminUserService.class).ensureAdminUser("test", username, password, role);
        return new Login(username, password);
    }

    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public static String slug(String prefix) {
        return prefix + "-" + hex(4);
    }

    public static String wechatAppid() {
        return "wx" + hex(8);
    }

    public static String wecomCorpId() {
        return "ww" + hex(8);
    }

    /** Looks like a WeChat AppSecret: 32 hex characters. */
    public static String secret() {
        return hex(16);
    }
}
