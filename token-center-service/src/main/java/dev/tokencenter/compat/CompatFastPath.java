package dev.tokencenter.compat;

import dev.tokencenter.token.FastPathAnswer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/**
 * Answers warm, authorised calls of {@code GET /cgi-bin/token}, {@code POST /cgi-bin/stable_token} and
 * {@code GET /cgi-bin/gettoken} ahead of the Spring Security chain and WebFlux dispatch, as the token API's fast path
 * does for {@code /v1/tokens/...}: when {@link WarmCompatReads} can answer from memory, with the body and headers
 * {@link WechatCompatHandler} would give. Every other call (any error answer, force_refresh, a cold client, AppID or
 * token, a stable_token body that is not in the plain form SDKs send) goes on to the routed handler unchanged; a
 * stable_token body read here is handed on to it.
 */
@Component
class CompatFastPath implements WebFilter, Ordered {

    /** Like the token read fast path: after the request meter, which times these answers too. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    /** Longer bodies, and bodies of unknown length, go to the handler unread. */
    static final int MAX_BODY = 1024;

    private static final byte[] UNREAD = new byte[0];

    private final WarmCompatReads reads;
    private final ApplicationContext application;

    CompatFastPath(WarmCompatReads reads, ApplicationContext application) {
        this.reads = reads;
        this.application = application;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        String path = request.getPath().pathWithinApplication().value();
        if (!path.startsWith("/cgi-bin/") || !servedHere(exchange)) {
            return chain.filter(exchange);
        }
        byte[] answer = null;
        if (method == HttpMethod.GET && path.equals("/cgi-bin/token")) {
            MultiValueMap<String, String> query = request.getQueryParams();
            answer = reads.answer(false, query.getFirst("grant_type"), query.getFirst("appid"), query.getFirst("secret"),
                    request.getRemoteAddress());
        } else if (method == HttpMethod.GET && path.equals("/cgi-bin/gettoken")) {
            MultiValueMap<String, String> query = request.getQueryParams();
            answer = reads.answer(true, WechatCompatHandler.CLIENT_CREDENTIAL, query.getFirst("corpid"),
                    query.getFirst("corpsecret"), request.getRemoteAddress());
        } else if (method == HttpMethod.POST && path.equals("/cgi-bin/stable_token") && plainJson(request.getHeaders())) {
            return stableToken(exchange, chain);
        }
        return answer == null ? chain.filter(exchange)
                : FastPathAnswer.write(exchange.getResponse(), CompatTokenAnswer.CACHE_CONTROL, answer);
    }

    private Mono<Void> stableToken(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        return DataBufferUtils.join(request.getBody())
                .map(CompatFastPath::bytes)
                .onErrorResume(error -> Mono.empty())
                .defaultIfEmpty(UNREAD)
                .flatMap(body -> {
                    if (body == UNREAD) {
                        // nothing could be read here: the handler reads what there is, as it would have
                        return chain.filter(exchange);
                    }
                    StableTokenBody parsed = StableTokenText.parse(body);
                    byte[] answer = parsed == null || parsed.forceRefresh() ? null
                            : reads.answer(false, parsed.grantType(), parsed.appid(), parsed.secret(), request.getRemoteAddress());
                    return answer != null
                            ? FastPathAnswer.write(exchange.getResponse(), CompatTokenAnswer.CACHE_CONTROL, answer)
                            : chain.filter(exchange.mutate().request(new ReadBody(request, body)).build());
                });
    }

    /** JSON in UTF-8 with a stated length of at most {@link #MAX_BODY} bytes. */
    private static boolean plainJson(HttpHeaders headers) {
        long length = headers.getContentLength();
        if (length <= 0 || length > MAX_BODY) {
            return false;
        }
        try {
            MediaType type = headers.getContentType();
            return type != null && MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)
                    && (type.getCharset() == null || StandardCharsets.UTF_8.equals(type.getCharset()));
        } catch (IllegalArgumentException e) {   // an unreadable Content-Type or charset: the handler answers it
            return false;
        }
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** False on another server's context (the management server's). */
    private boolean servedHere(ServerWebExchange exchange) {
        ApplicationContext context = exchange.getApplicationContext();
        return context == null || context == application;
    }

    /** The request with the body this filter has read, for the handler to read again. */
    private static final class ReadBody extends ServerHttpRequestDecorator {

        private final byte[] body;

        ReadBody(ServerHttpRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        }
    }
}
