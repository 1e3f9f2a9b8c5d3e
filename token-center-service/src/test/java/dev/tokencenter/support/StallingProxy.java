package dev.tokencenter.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder that can stall like a database host lost in a failover without a reset: while stalled it accepts
 * connections and reads every byte but forwards and answers nothing, keeping the connections open. When the stall
 * ends, the connections it swallowed are closed (as a peer eventually would) and new ones are forwarded again.
 * It can also cut the link like a host that went down: every connection is closed at once, and new ones as soon as
 * they are accepted. And it can answer late, like a host that is slow but works: requests are forwarded at once, the
 * replies held back for a while.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;
    private volatile boolean cut;
    private volatile long replyDelayMillis;

    private final class Link {
        final Socket client;
        volatile Socket upstream;
        volatile boolean swallowed;

        Link(Socket client, boolean swallowed) {
            this.client = client;
            this.swallowed = swallowed;
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    public StallingProxy(String targetHost, int targetPort) throws IOException {
        this(targetHost, targetPort, 0);
    }

    /** A proxy listening on {@code listenPort} (0: any free port). */
    public StallingProxy(String targetHost, int targetPort, int listenPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing gets through, in either direction, on old or new connections. */
    public void stall() {
        stalled = true;
        links.forEach(link -> link.swallowed = true);
    }

    /** Closes every connection, and every new one as soon as it is accepted: the target is gone. */
    public void cut() {
        cut = true;
        links.stream().toList().forEach(Link::close);
    }

    /** From now on every reply (on old and new connections) reaches the client {@code delay} after the target sent it. */
    public void delayReplies(Duration delay) {
        replyDelayMillis = delay.toMillis();
    }

    /** Closes the connections that were swallowed; new connections are forwarded again. */
    public void resume() {
        stalled = false;
        cut = false;
        links.stream().filter(link -> link.swallowed).toList().forEach(Link::close);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Link link = new Link(client, stalled);
                links.add(link);
                if (!link.swallowed) {
                    Socket upstream = new Socket();
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
                    link.upstream = upstream;
                    pump(link, upstream.getInputStream(), client.getOutputStream(), "down");
                }
                pump(link, client.getInputStream(), link.upstream == null ? null : link.upstream.getOutputStream(), "up");
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private void pump(Link link, InputStream from, OutputStream to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                    if (!link.swallowed && to != null) {
                        if ("down".equals(direction) && replyDelayMillis > 0) {
                            Thread.sleep(replyDelayMillis);
                        }
                        to.write(buffer, 0, read);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the other side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // a swallowed connection stays open until its client gives up on it
                if (!link.swallowed || "up".equals(direction)) {
                    link.close();
                }
            }
        }, "stalling-proxy-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.stream().toList().forEach(Link::close);
    }
}
