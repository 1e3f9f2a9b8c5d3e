package dev.tokencenter.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.ChannelOperationsId;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A Reactor Netty request whose body the route has already read, for WebFlux to read again: the same request in every
 * other respect (headers, addresses, connection), so WebFlux's adapter makes of it exactly the exchange it would have
 * made of the original. A proxy, as the request's class is Reactor Netty's own; it keeps the interfaces WebFlux looks
 * for ({@link Connection}, {@link ChannelOperationsId}).
 */
final class ReplayedBody implements InvocationHandler {

    private final HttpServerRequest request;
    private final Flux<ByteBuf> body;

    private ReplayedBody(HttpServerRequest request, Flux<ByteBuf> body) {
        this.request = request;
        this.body = body;
    }

    /** {@code request} with {@code body} as what its {@code receive()} gives. */
    static HttpServerRequest of(HttpServerRequest request, byte[] body) {
        return of(request, Flux.defer(() -> Flux.just(Unpooled.wrappedBuffer(body))));
    }

    /** {@code request} whose {@code receive()} signals {@code error}, as the original's did. */
    static HttpServerRequest failed(HttpServerRequest request, Throwable error) {
        return of(request, Flux.error(error));
    }

    private static HttpServerRequest of(HttpServerRequest request, Flux<ByteBuf> body) {
        List<Class<?>> types = new ArrayList<>(List.of(HttpServerRequest.class));
        if (request instanceof Connection) {
            types.add(Connection.class);
        }
        if (request instanceof ChannelOperationsId) {
            types.add(ChannelOperationsId.class);
        }
        return (HttpServerRequest) Proxy.newProxyInstance(ReplayedBody.class.getClassLoader(),
                types.toArray(Class<?>[]::new), new ReplayedBody(request, body));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("receive") && method.getParameterCount() == 0) {
            return ByteBufFlux.fromInbound(body);
        }
        try {
            return method.invoke(request, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
