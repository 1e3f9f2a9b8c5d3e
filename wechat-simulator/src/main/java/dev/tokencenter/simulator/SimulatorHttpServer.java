package dev.tokencenter.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door on the JDK's {@link HttpServer}: routes {@code /__sim/*} to the control API and the
 * WeChat paths to their handlers, counting each WeChat call and applying armed faults before normal
 * processing. Latency and hang faults never block a worker thread: latency reschedules the call, and a hung
 * exchange is parked until the hang duration passes or the simulator closes.
 */
final class SimulatorHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorHttpServer.class);
    private static final int WORKER_THREADS = 8;
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server sends headers and body as separate segments; without TCP_NODELAY the body waits for the
        // client's delayed ACK (about 40 ms per call on Linux). The property is read once, when the JDK's server
        // classes load, and applies to every JDK HttpServer in this JVM; a value set by the JVM's owner wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Set<HttpExchange> hung = ConcurrentHashMap.newKeySet();
    private final Map<String, Route> routes = new HashMap<>();
    private final Supplier<SimulatorState> state;
    private final ControlApi control;
    private final int port;

    SimulatorHttpServer(InetSocketAddress address, Supplier<SimulatorState> state, ControlApi control)
            throws IOException {
        this.state = state;
        this.control = control;
        Stream.of(AccessTokenEndpoints.routes(), TicketEndpoints.routes(), MiniProgramEndpoints.routes(),
                        QuotaEndpoints.routes())
                .flatMap(List::stream)
                .forEach(route -> routes.put(route.path(), route));
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads("wechat-simulator-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("wechat-simulator-timer-"));
        this.server = HttpServer.create(address, 128);
        server.createContext("/", this::dispatch);
        server.setExecutor(workers);
        server.start();
        this.port = server.getAddress().getPort();
    }

    int port() {
        return port;
    }

    /** How many exchanges a hang fault is holding right now. */
    int hungExchanges() {
        return hung.size();
    }

    private void dispatch(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(ControlApi.PREFIX) || path.startsWith(ControlApi.PREFIX + "/")) {
                send(exchange, control.handle(SimRequest.read(exchange)));
                return;
            }
            Route route = routes.get(path);
            if (route == null) {
                exchange.getRequestBody().readAllBytes();
                send(exchange, SimResponse.plain(404, "Not Found"));
                return;
            }
            SimRequest request = SimRequest.read(exchange);
            SimulatorState current = state.get();
            String appid = ApiSupport.appidOf(request, current);
            current.counters().increment(appid, path);
            Optional<Fault> fault = current.faults().take(path, appid);
            if (fault.isEmpty()) {
                answer(exchange, route, request, current);
                return;
            }
            Fault f = fault.get();
            log.debug("fault {} on {} for {}", f.kind(), path, appid);
            switch (f.kind()) {
                case ERRCODE -> send(exchange, route.error(f.errcode(), f.errmsg()));
                case HTTP_STATUS -> send(exchange, SimResponse.plain(f.httpStatus(), reasonPhrase(f.httpStatus())));
                case HANG -> park(exchange, current.settings());
                case LATENCY -> timers.schedule(() -> answerLater(exchange, route, request, current),
                        f.latency().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            send(exchange, SimResponse.plain(500, "Internal Server Error"));
        }
    }

    private void answerLater(HttpExchange exchange, Route route, SimRequest request, SimulatorState current) {
        try {
            workers.execute(() -> answer(exchange, route, request, current));
        } catch (RejectedExecutionException closed) {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, Route route, SimRequest request, SimulatorState current) {
        SimResponse response;
        try {
            response = route.answer(request, current);
        } catch (RuntimeException e) {
            log.warn("handler for {} failed", route.path(), e);
            response = SimResponse.plain(500, "Internal Server Error");
        }
        send(exchange, response);
    }

    private void park(HttpExchange exchange, SimulatorSettings settings) {
        hung.add(exchange);
        try {
            timers.schedule(() -> release(exchange), settings.hangDuration().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            release(exchange);
        }
    }

    /** Drops a hung exchange without an answer (closing the connection). */
    private void release(HttpExchange exchange) {
        if (hung.remove(exchange)) {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, SimResponse response) {
        try {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("could not answer {} (client gone?)", exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 429 -> "Too Many Requests";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            default -> "Error " + status;
        };
    }

    @Override
    public void close() {
        for (HttpExchange exchange : List.copyOf(hung)) {
            release(exchange);
        }
        server.stop(0);
        timers.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
