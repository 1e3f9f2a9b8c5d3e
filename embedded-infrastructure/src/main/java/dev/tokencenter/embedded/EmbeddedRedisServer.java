package dev.tokencenter.embedded;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A Redis server from the binaries shipped in the embedded-redis Maven package, bound to loopback. */
public final class EmbeddedRedisServer implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedisServer start() {
        return start(freePort());
    }

    public static EmbeddedRedisServer start(int port) {
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 256mb")
                    .build();
            server.start();
            return new EmbeddedRedisServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Redis did not start", e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Address in the form Redisson expects. */
    public String address() {
        return "redis://" + host() + ":" + port;
    }

    public boolean isRunning() {
        return server.isActive();
    }

    /** Stops the server; {@link #restart()} brings it back on the same port (for failure tests). */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server.isActive()) {
            stop();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
