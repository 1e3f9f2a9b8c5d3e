package dev.tokencenter.edge;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;
import reactor.netty.NettyPipeline;

import java.util.function.Supplier;

/**
 * Puts {@link WarmReadRoute} on the public server's Reactor Netty routes, ahead of the route to Spring's handler, and
 * {@link StableBodyCapture} on each HTTP/1.1 connection of that server.
 * A customizer and not a {@code NettyRouteProvider} bean: the management server's context would find such a bean in
 * this (its parent) context too, while it sees only its own customizers. The route is looked up at its first request,
 * so that making the server does not make the beans it uses.
 */
@Component
class WarmReadRouteInstaller implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final Supplier<WarmReadRoute> route;

    WarmReadRouteInstaller(ObjectProvider<WarmReadRoute> route) {
        this.route = SingletonSupplier.of(route::getObject);
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addRouteProviders(routes -> routes.route(WarmReadRoute::mayAnswer,
                (request, response) -> route.get().apply(request, response)));
        factory.addServerCustomizers(server -> server.doOnChannelInit((observer, channel, remote) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) { // HTTP/1.1
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, StableBodyCapture.NAME,
                        new StableBodyCapture());
            }
        }));
    }
}
