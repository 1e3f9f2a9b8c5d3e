package dev.tokencenter.web;

import dev.tokencenter.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that states a body and sends only part of it is cut off after {@code request-read-timeout} (2 s in the
 * tests): the request does not hold its connection without a bound, on the warm-read route as on WebFlux's.
 */
@IntegrationTest
class IncompleteRequestTest {

    @LocalServerPort
    int port;

    @Test
    void aStableTokenBodyThatNeverArrivesIsCutOff() throws Exception {
        assertCutOff("POST /cgi-bin/stable_token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200\r\n\r\n{\"grant_type\":");
    }

    @Test
    void aBodyLeftToWebFluxThatNeverArrivesIsCutOff() throws Exception {
        // declined by the warm-read route (longer than it reads), so WebFlux's handler reads it
        assertCutOff("POST /cgi-bin/stable_token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 9000\r\n\r\n{\"grant_type\":");
    }

    private void assertCutOff(String partialRequest) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long sent = System.nanoTime();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes(); // until the server closes the connection
            Duration waited = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(waited).as("cut off after the read timeout").isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
            String text = new String(answer, StandardCharsets.US_ASCII);
            assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 408") || text.startsWith("HTTP/1.1 400"))
                    .as("answer: %s", text).isTrue();
        }
    }
}
