package dev.tokencenter.wechat;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * The HTTP plumbing every upstream client shares: a connection pool of its own, the connect and response timeouts of
 * {@link WechatApiProperties}, the configured TLS trust, and a hard deadline over each exchange. The token and ticket
 * calls, made for every refresh, go straight through Reactor Netty ({@link #get}, {@link #postJson}); the other calls
 * through a {@link WebClient} on the same connector.
 */
final class UpstreamHttp implements AutoCloseable {

    /** An answer as it came: the HTTP status and the whole body (empty when there was none). */
    record Answer(int status, byte[] body) {
    }

    /** As much of an answer as is read (WebClient's default in-memory limit): token and ticket answers are far smaller. */
    static final int MOST_BODY_BYTES = 256 * 1024;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ConnectionProvider connections;
    private final LoopResources loops;
    private final ReactorClientHttpConnector connector;
    private final HttpClient acceptingJson;
    private final Duration deadline;

    /**
     * @param loopThreads event loops of its own (not the shared ones the web server's shutdown disposes, so a call in
     *                    flight while the service stops still gets its answer), or 0 for the shared ones
     */
    UpstreamHttp(String name, int maxConnections, int loopThreads, WechatApiProperties wechatApi, UpstreamTls tls) {
        Duration wait = wechatApi.connectTimeout().plus(wechatApi.responseTimeout());
        this.connections = ConnectionProvider.builder(name)
                .maxConnections(maxConnections)
                .pendingAcquireTimeout(wait)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.loops = loopThreads > 0 ? LoopResources.create(name + "-client", loopThreads, true) : null;
        HttpClient http = HttpClient.create(connections);
        if (loops != null) {
            http = http.runOn(loops);
        }
        HttpClient configured = tls.applyTo(http
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wechatApi.connectTimeout().toMillis())
                .responseTimeout(wechatApi.responseTimeout()));
        this.connector = new ReactorClientHttpConnector(configured);
        this.acceptingJson = configured.headers(headers -> headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON));
        this.deadline = wait.plusMillis(500);
    }

    WebClient webClient(URI baseUrl) {
        return WebClient.builder().clientConnector(connector).baseUrl(baseUrl.toString()).build();
    }

    /** One GET of {@code path} under {@code base}; {@code query}: names and values in turn, percent-encoded. */
    Mono<Answer> get(URI base, String path, String... query) {
        return answer(acceptingJson.get().uri(url(base, path, query)));
    }

    /** One POST of a JSON body to {@code path} under {@code base}. */
    Mono<Answer> postJson(URI base, String path, byte[] json) {
        return answer(acceptingJson.post().uri(url(base, path)).send((request, outbound) -> {
            request.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(json.length));
            return outbound.sendByteArray(Mono.just(json));
        }));
    }

    /**
     * What {@code exchange} answered, read by {@code read} within the deadline: any failure is an
     * {@link UpstreamCallException} that never carries the URL ({@link UpstreamAnswers}).
     */
    <T> Mono<T> read(UpstreamEndpoint endpoint, Mono<Answer> exchange, Function<JsonNode, T> read) {
        return exchange.map(answer -> UpstreamAnswers.interpret(endpoint, answer, read))
                .timeout(deadline)
                .onErrorMap(error -> !(error instanceof UpstreamCallException), error -> UpstreamAnswers.translate(endpoint, error));
    }

    /** The whole answer, up to {@link #MOST_BODY_BYTES}: a longer one fails with {@link AnswerTooLargeException}. */
    private static Mono<Answer> answer(HttpClient.ResponseReceiver<?> request) {
        return request.response((response, body) -> body.asByteArray()
                        .collect(ByteArrayOutputStream::new, UpstreamHttp::append)
                        .map(bytes -> new Answer(response.status().code(), bytes.toByteArray())))
                .next();
    }

    private static void append(ByteArrayOutputStream body, byte[] chunk) {
        if (body.size() + chunk.length > MOST_BODY_BYTES) {
            throw new AnswerTooLargeException();
        }
        body.writeBytes(chunk);
    }

    /** An answer longer than any WeChat gives to these calls (the reading stops and the connection is closed). */
    static final class AnswerTooLargeException extends RuntimeException {
        AnswerTooLargeException() {
            super("the answer is longer than " + MOST_BODY_BYTES + " bytes", null, false, false);
        }
    }

    /** {@code base} without a trailing slash, then {@code path}, then the query (RFC 3986: unreserved kept). */
    static String url(URI base, String path, String... query) {
        if (query.length % 2 != 0) {
            throw new IllegalArgumentException("query parameters come in name and value pairs");
        }
        String root = base.toString();
        StringBuilder url = new StringBuilder(root.length() + path.length() + 96)
                .append(root.endsWith("/") ? root.substring(0, root.length() - 1) : root).append(path);
        char separator = '?';
        for (int i = 0; i < query.length; i += 2) {
            url.append(separator);
            encode(query[i], url);
            url.append('=');
            encode(query[i + 1], url);
            separator = '&';
        }
        return url.toString();
    }

    private static void encode(String value, StringBuilder into) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                into.append(c);
            } else {
                into.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    /** The longest one call may take. */
    Duration deadline() {
        return deadline;
    }

    @Override
    public void close() {
        connections.dispose();
        if (loops != null) {
            loops.dispose();
        }
    }
}
