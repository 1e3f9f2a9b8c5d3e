package dev.tokencenter.web;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Bounds how long a request may take to arrive on the public server ({@link WebProperties#requestReadTimeout()}). */
@Component
class RequestReadTimeout implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final WebProperties properties;

    RequestReadTimeout(WebProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        factory.addServerCustomizers(server -> server.requestTimeout(properties.requestReadTimeout()));
    }
}
