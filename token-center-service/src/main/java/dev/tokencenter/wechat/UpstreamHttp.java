package dev.tokencenter.wechat;

import io.netty.channel.ChannelOption;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.net.URI;
import java.time.Duration;

/**
 * The HTTP plumbing every upstream client shares: a connection pool of its own, the connect and response timeouts of
 * {@link WechatApiProperties}, the configured TLS trust, and a hard deadline over each exchange.
 */
final class UpstreamHttp implements AutoCloseable {

    private final ConnectionProvider connections;
    private final LoopResources loops;
    private final ReactorClientHttpConnector connector;
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
        this.connector = new ReactorClientHttpConnector(tls.applyTo(http
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) wechatApi.connectTimeout().toMillis())
                .responseTimeout(wechatApi.responseTimeout())));
        this.deadline = wait.plusMillis(500);
    }

    WebClient webClient(URI baseUrl) {
        return WebClient.builder().clientConnector(connector).baseUrl(baseUrl.toString()).build();
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
