package dev.tokenbench;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The floor for any Java HTTP answer on the machine: a bare Reactor Netty server (the server the token center runs
 * on, without Spring) answering every request with the same constant JSON bytes, as long as a token answer
 * ({@code --body-length}), with the token answer's headers. Nothing is parsed, looked up or encoded per request.
 */
public final class RawNettyAnchor {

    private RawNettyAnchor() {
    }

    public static void main(String[] args) {
        Map<String, String> options = BenchLauncher.options(args);
        int port = Integer.parseInt(options.getOrDefault("port", "18082"));
        byte[] body = body(Integer.parseInt(options.getOrDefault("body-length", "280")));
        String length = Integer.toString(body.length);
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .header(HttpHeaderNames.CONTENT_LENGTH, length)
                        .header(HttpHeaderNames.CACHE_CONTROL, "private, max-age=300")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("X-Frame-Options", "DENY")
                        .header("X-XSS-Protection", "0")
                        .header("Referrer-Policy", "no-referrer")
                        .sendByteArray(Mono.just(body)))
                .bindNow();
        System.out.println("ANCHOR READY port=" + port + " body=" + body.length + " bytes");
        server.onDispose().block();
    }

    /** {@code {"access_token":"xxx...x"}} padded to {@code length} bytes. */
    static byte[] body(int length) {
        String prefix = "{\"access_token\":\"";
        String suffix = "\"}";
        int fill = Math.max(1, length - prefix.length() - suffix.length());
        return (prefix + "x".repeat(fill) + suffix).getBytes(StandardCharsets.US_ASCII);
    }
}
