package dev.tokencenter.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTPS on loopback in front of a plain-HTTP upstream (the WeChat simulator): what WeChat looks like to the service,
 * with a certificate the test chose. Counts the requests that got through the handshake.
 */
public final class TlsFrontDoor implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String target;
    private final AtomicInteger requests = new AtomicInteger();

    private TlsFrontDoor(SSLContext tls, String target) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Serves {@code certificate} on a free loopback port and forwards every request to {@code target}. */
    public static TlsFrontDoor start(TestCertificates.Issued certificate, String target) {
        try {
            return new TlsFrontDoor(certificate.serverContext(), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://<host>:<port>}: the host name the client checks the certificate against. */
    public String baseUrl(String host) {
        return "https://" + host + ":" + server.getAddress().getPort();
    }

    /** Requests that completed a TLS handshake and reached this server. */
    public int requests() {
        return requests.get();
    }

    private void forward(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try {
            HttpResponse<byte[]> response = send(exchange);
            response.headers().firstValue("Content-Type")
                    .ifPresent(value -> exchange.getResponseHeaders().set("Content-Type", value));
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    private HttpResponse<byte[]> send(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(5))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
