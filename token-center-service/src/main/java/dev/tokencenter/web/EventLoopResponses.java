package dev.tokencenter.web;

import io.netty.channel.EventLoop;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.util.context.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes every response on its connection's own event loop. A handler may finish on another thread: a read that
 * waited for a refresh is woken on a Redisson or refresh worker thread, a client lookup on boundedElastic. Written
 * from there, the response reaches the client before Reactor Netty has finished the exchange on the event loop, so
 * the client's next request on the keep-alive connection is queued behind it; Reactor Netty before 1.3.8 could then
 * stop reading that connection for good once the queued request was answered at once (reactor/reactor-netty#4361),
 * and the request after it never got an answer. An answer made at once on the event loop is not safe either: a client
 * that sends its next request on a connection as soon as it has a response (a browser loading the admin UI: static
 * files, then {@code GET /admin/api/me}; an HTTP client reusing its connection at once after an early error answer)
 * gets it drained as a pipelined request, and an answer written at once inside that drain left the connection unread
 * (the request after it hung). So every answer that passes this filter is written in a task of its own on the event
 * loop; the token read fast path answers before it and is not affected.
 */
@Component
public class EventLoopResponses implements WebFilter, Ordered {

    /** Right after the token read fast path, which answers on the event loop itself. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    private static final Object LOOP = EventLoopResponses.class;

    private final Map<EventLoop, Scheduler> schedulers = new ConcurrentHashMap<>();

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(request instanceof Connection connection)) {
            return chain.filter(exchange);
        }
        EventLoop loop = connection.channel().eventLoop();
        Scheduler scheduler = schedulers.computeIfAbsent(loop, Schedulers::fromExecutor);
        return chain.filter(exchange.mutate().response(new OnEventLoop(exchange.getResponse(), scheduler)).build())
                .contextWrite(Context.of(LOOP, scheduler));
    }

    /**
     * Continues {@code work} on the event loop of the request being answered (where there is one). For work that
     * completes on another thread on the way to a response write that this filter does not see: a session saved to
     * Redis while the response commits, server-sent events emitted by a Redisson listener.
     */
    public static <T> Mono<T> onConnectionLoop(Mono<T> work) {
        return Mono.deferContextual(context -> context.<Scheduler>getOrEmpty(LOOP).map(work::publishOn).orElse(work));
    }

    /** The same for a stream of elements. */
    public static <T> Flux<T> onConnectionLoop(Flux<T> work) {
        return Flux.deferContextual(context -> context.<Scheduler>getOrEmpty(LOOP).map(work::publishOn).orElse(work));
    }

    private static final class OnEventLoop extends ServerHttpResponseDecorator {

        private final Scheduler scheduler;

        OnEventLoop(ServerHttpResponse delegate, Scheduler scheduler) {
            super(delegate);
            this.scheduler = scheduler;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return onLoop(() -> super.writeWith(body));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return onLoop(() -> super.writeAndFlushWith(body));
        }

        @Override
        public Mono<Void> setComplete() {
            return onLoop(super::setComplete);
        }

        private Mono<Void> onLoop(Supplier<Mono<Void>> write) {
            return Mono.defer(write).subscribeOn(scheduler);
        }
    }
}
