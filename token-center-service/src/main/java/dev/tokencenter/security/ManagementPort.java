package dev.tokencenter.security;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;

/**
 * The port of the management server (the actuator's own server, {@code management.server.port}), once it listens.
 * Matches requests that arrived on it. When the actuator shares the public port there is no management server and
 * nothing matches: every {@code /actuator} path stays refused there.
 */
@Component
class ManagementPort implements ApplicationListener<WebServerInitializedEvent>, ServerWebExchangeMatcher {

    static final String NAMESPACE = "management";

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public Mono<MatchResult> matches(ServerWebExchange exchange) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        return local != null && port > 0 && local.getPort() == port ? MatchResult.match() : MatchResult.notMatch();
    }
}
