package dev.tokencenter.web;

import dev.tokencenter.admin.AdminApiTestSupport;
import dev.tokencenter.admin.AdminApiTestSupport.Login;
import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests sent on one keep-alive connection before the answer to the one ahead of them (HTTP/1.1 pipelining; also
 * what reaches the server when a client sends its next request the moment it has read an early answer) are all
 * answered, in order: a slow admin request, token reads the fast path answers at once, requests refused before their
 * body is read, bodies refused after it, a path that is refused at once.
 */
@IntegrationTest
class PipelinedRequestsTest {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void everyPipelinedRequestIsAnsweredInOrder() throws Exception {
        TokenApiFixture fixture = new TokenApiFixture(context);
        String tenant = fixture.tenant();
        Credential credential = fixture.wechat(tenant, "shop", "prod");
        CreatedClient client = fixture.client(tenant, "shop/prod:token,session,jssdk");
        Login admin = AdminApiTestSupport.user(context, AdminRole.VIEWER);
        warmUp(credential, client);

        String slow = "GET /admin/api/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString((admin.username() + ":" + admin.password()).getBytes(StandardCharsets.UTF_8))
                + "\r\n\r\n";
        String fast = "GET " + credential.path() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + client.key() + "\r\n\r\n";
        String refused = post("/v1/tokens/" + tenant + "/shop/prod/invalidate", "Bearer tck_c0123456789abcdef_" + "A".repeat(43),
                "{\"access_token\":\"" + "x".repeat(2000) + "\"}");
        String unreadable = post("/v1/jssdk/" + tenant + "/shop/prod/signature", "Bearer " + client.key(),
                "[{\"url\":\"https://shop.example.com/pay?a=1\"}]");
        String badSession = "DELETE /v1/miniprogram/" + tenant + "/shop/prod/sessions/%0D%0AX-Injected:%201 HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: Bearer " + client.key() + "\r\n\r\n";
        List<Integer> expected = new ArrayList<>();
        StringBuilder pipeline = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            pipeline.append(slow).append(fast).append(fast).append(refused).append(fast).append(unreadable).append(fast)
                    .append(badSession).append(unreadable).append(refused).append(fast);
            expected.addAll(List.of(200, 200, 200, 401, 200, 400, 200, 400, 400, 401, 200));
        }

        List<Integer> statuses = exchange(pipeline.toString(), expected.size());

        assertThat(statuses).as("answers to %d pipelined requests", expected.size()).isEqualTo(expected);
    }

    private static String post(String path, String authorization, String json) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + json;
    }

    private void warmUp(Credential credential, CreatedClient client) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + credential.path()))
                .header("Authorization", "Bearer " + client.key()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    }

    /** Writes all requests at once and reads answers until {@code count} arrived or none came for 5 seconds. */
    private List<Integer> exchange(String requests, int count) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder buffer = new StringBuilder();
            byte[] chunk = new byte[8192];
            while (statuses.size() < count) {
                int answer = nextAnswer(buffer);
                if (answer > 0) {
                    statuses.add(answer);
                    continue;
                }
                int read;
                try {
                    read = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (read < 0) {
                    break;
                }
                buffer.append(new String(chunk, 0, read, StandardCharsets.ISO_8859_1));
            }
        }
        return statuses;
    }

    /** Removes one complete answer (all these answers have a Content-Length) from the buffer: its status, or 0. */
    private static int nextAnswer(StringBuilder buffer) {
        int headersEnd = buffer.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return 0;
        }
        String headers = buffer.substring(0, headersEnd + 2);
        Matcher status = STATUS_LINE.matcher(headers);
        Matcher length = CONTENT_LENGTH.matcher(headers);
        assertThat(status.lookingAt()).as("status line of %s", headers).isTrue();
        assertThat(length.find()).as("Content-Length in %s", headers).isTrue();
        int end = headersEnd + 4 + Integer.parseInt(length.group(1));
        if (buffer.length() < end) {
            return 0;
        }
        buffer.delete(0, end);
        return Integer.parseInt(status.group(1));
    }
}
