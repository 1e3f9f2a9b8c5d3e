package dev.tokencenter.edge;

import dev.tokencenter.compat.WarmCompatReads;
import dev.tokencenter.monitoring.ApiRequestMeter;
import dev.tokencenter.token.FastPathAnswer;
import dev.tokencenter.token.TokenReadFastPath;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import org.reactivestreams.Publisher;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Answers warm, authorised token reads on the Reactor Netty request itself, before WebFlux makes an exchange of it:
 * {@code GET /v1/tokens/{tenant}/{app}/{env}} ({@link TokenReadFastPath}), {@code GET /cgi-bin/token},
 * {@code GET /cgi-bin/gettoken} and {@code POST /cgi-bin/stable_token} ({@link WarmCompatReads}), with the status,
 * headers (Spring Security's default headers included) and body the full chain gives. Whatever those decline (any
 * error answer, a cold client, credential or token, an unusual request target) goes, unchanged, to WebFlux's
 * handler, as every request the route does not look at does; a stable_token body read here is handed on with it.
 * A stable_token body that came with its request head is taken from {@link StableBodyCapture} instead of read.
 * Answers are timed by the request meter like the others. Why it exists: WebFlux's per-exchange work (adapter,
 * exchange, web filter chain) costs several times the read itself (see docs/benchmarks.md).
 */
@Component
class WarmReadRoute implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private static final String TOKENS = "/v1/tokens/";
    private static final String COMPAT_TOKEN = "/cgi-bin/token";
    private static final String WECOM_TOKEN = "/cgi-bin/gettoken";
    static final String STABLE_TOKEN = "/cgi-bin/stable_token";
    private static final String[] TOKEN_QUERY = {"grant_type", "appid", "secret"};
    private static final String[] WECOM_QUERY = {"corpid", "corpsecret"};

    private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    private static final AsciiString CACHE_CONTROL = AsciiString.cached("Cache-Control");
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString NO_STORE = AsciiString.cached(WarmCompatReads.CACHE_CONTROL);
    // what Spring Security's default header writers add to every answer of the full chain
    private static final AsciiString CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString FRAME_OPTIONS = AsciiString.cached("X-Frame-Options");
    private static final AsciiString DENY = AsciiString.cached("DENY");
    private static final AsciiString XSS_PROTECTION = AsciiString.cached("X-XSS-Protection");
    private static final AsciiString ZERO = AsciiString.cached("0");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("Referrer-Policy");
    private static final AsciiString NO_REFERRER = AsciiString.cached("no-referrer");

    /** Content-Length values of the usual answer sizes, made once instead of per answer. */
    private static final AsciiString[] LENGTHS = new AsciiString[2048];

    static {
        for (int i = 0; i < LENGTHS.length; i++) {
            LENGTHS[i] = AsciiString.cached(Integer.toString(i));
        }
    }

    private final TokenReadFastPath tokenReads;
    private final WarmCompatReads compatReads;
    private final ApiRequestMeter meter;
    private final ReactorHttpHandlerAdapter fullChain;

    WarmReadRoute(TokenReadFastPath tokenReads, WarmCompatReads compatReads, ApiRequestMeter meter, HttpHandler webFlux) {
        this.tokenReads = tokenReads;
        this.compatReads = compatReads;
        this.meter = meter;
        this.fullChain = new ReactorHttpHandlerAdapter(webFlux);
    }

    /** The requests the route looks at, by their method and request target alone. */
    static boolean mayAnswer(HttpServerRequest request) {
        HttpMethod method = request.method();
        String target = request.uri();
        if (HttpMethod.GET.equals(method)) {
            return target.startsWith(TOKENS) || target.startsWith(COMPAT_TOKEN) || target.startsWith(WECOM_TOKEN);
        }
        return HttpMethod.POST.equals(method) && target.equals(STABLE_TOKEN);
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        long started = System.nanoTime();
        if (HttpMethod.POST.equals(request.method())) {
            return stableToken(request, response, started);
        }
        String target = request.uri();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (query >= 0 && !QueryParameters.plain(target, query + 1)) {
            return fullChain.apply(request, response);
        }
        if (path.startsWith(TOKENS)) {
            FastPathAnswer answer = tokenReads.answer(path, request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
            return answer == null ? fullChain.apply(request, response)
                    : write(response, answer.cacheControl(), answer.body(), path, started);
        }
        byte[] body = null;
        if (path.equals(COMPAT_TOKEN)) {
            String[] values = query < 0 ? null : QueryParameters.first(target, query + 1, TOKEN_QUERY);
            body = values == null ? null : compatReads.token(values[0], values[1], values[2], request.remoteAddress());
        } else if (path.equals(WECOM_TOKEN)) {
            String[] values = query < 0 ? null : QueryParameters.first(target, query + 1, WECOM_QUERY);
            body = values == null ? null : compatReads.wecomToken(values[0], values[1], request.remoteAddress());
        }
        return body == null ? fullChain.apply(request, response) : write(response, NO_STORE, body, path, started);
    }

    private Publisher<Void> stableToken(HttpServerRequest request, HttpServerResponse response, long started) {
        HttpHeaders headers = request.requestHeaders();
        if (!WarmCompatReads.readableBody(headers.get(HttpHeaderNames.CONTENT_TYPE), headers.get(HttpHeaderNames.CONTENT_LENGTH))) {
            return fullChain.apply(request, response);
        }
        int length = Integer.parseInt(headers.get(HttpHeaderNames.CONTENT_LENGTH).trim());
        byte[] captured = request instanceof Connection connection ? StableBodyCapture.captured(connection.channel()) : null;
        if (captured != null && captured.length == length) {
            return answerStableToken(request, response, captured, started);
        }
        return request.receive()
                .collect(() -> new SmallBody(length), SmallBody::add)
                .map(read -> answerStableToken(request, response, read.bytes(), started))
                // the body could not be read: WebFlux gets the same error from it
                .onErrorResume(error -> Mono.just(fullChain.apply(ReplayedBody.failed(request, error), response)))
                .flatMap(Mono::from);
    }

    private Publisher<Void> answerStableToken(HttpServerRequest request, HttpServerResponse response, byte[] body,
                                              long started) {
        byte[] answer = compatReads.stableToken(body, request.remoteAddress());
        return answer != null ? write(response, NO_STORE, answer, STABLE_TOKEN, started)
                : fullChain.apply(ReplayedBody.of(request, body), response);
    }

    private Publisher<Void> write(HttpServerResponse response, CharSequence cacheControl, byte[] body, String path,
                                  long started) {
        response.status(HttpResponseStatus.OK);
        response.responseHeaders()
                .set(CONTENT_TYPE, JSON)
                .set(CACHE_CONTROL, cacheControl)
                .set(CONTENT_LENGTH, body.length < LENGTHS.length ? LENGTHS[body.length] : Integer.toString(body.length))
                .set(CONTENT_TYPE_OPTIONS, NOSNIFF)
                .set(FRAME_OPTIONS, DENY)
                .set(XSS_PROTECTION, ZERO)
                .set(REFERRER_POLICY, NO_REFERRER);
        meter.record(path, 200, started);
        return response.sendObject(Unpooled.wrappedBuffer(body));
    }

    /** A request body of a stated, small length, copied as it arrives (Reactor Netty releases each buffer after). */
    private static final class SmallBody {

        private final byte[] bytes;
        private int size;

        SmallBody(int length) {
            bytes = new byte[length];
        }

        void add(ByteBuf buffer) {
            int count = Math.min(buffer.readableBytes(), bytes.length - size);
            buffer.readBytes(bytes, size, count);
            size += count;
        }

        /** What arrived: shorter than stated only when the connection ended early. */
        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
