package dev.tokencenter.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Times token API and WeChat-compatible requests ({@code tokencenter_api_requests_seconds}) by route template and
 * HTTP status: as the first of all web filters, and through {@link #record} for the warm reads answered ahead of
 * WebFlux. Cheap on the hot path: the route comes from string checks on the path, and each route keeps its timers in
 * an array indexed by status, made once (the usual statuses at start-up), so a request allocates no tags.
 */
@Component
public class ApiRequestMeter implements WebFilter, Ordered {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE;
    private static final int[] USUAL_STATUSES = {200, 400, 401, 403, 404, 429, 503};
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<ApiRoute, AtomicReferenceArray<Timer>> timers = new EnumMap<>(ApiRoute.class);

    ApiRequestMeter(MeterRegistry registry) {
        this.registry = registry;
        for (ApiRoute route : ApiRoute.values()) {
            AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);
            timers.put(route, byStatus);
            for (int status : USUAL_STATUSES) {
                timer(route, status);
            }
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiRoute route = ApiRoute.of(exchange.getRequest().getPath().value());
        if (route == null) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            if (signal != SignalType.CANCEL) {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                timer(route, status == null ? 200 : status.value()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Times a request answered ahead of WebFlux (the warm read route), as {@link #filter} times the others. */
    public void record(String path, int status, long startedNanos) {
        ApiRoute route = ApiRoute.of(path);
        if (route != null) {
            timer(route, status).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(ApiRoute route, int status) {
        AtomicReferenceArray<Timer> byStatus = timers.get(route);
        int index = status >= 100 && status < 600 ? status : 0;
        Timer timer = byStatus.get(index);
        if (timer == null) {
            timer = Timer.builder("tokencenter.api.requests")
                    .description("Token API and WeChat-compatible requests by route template and HTTP status")
                    .tag("route", route.template())
                    .tag("status", index == 0 ? "other" : Integer.toString(index))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byStatus.compareAndSet(index, null, timer);
        }
        return timer;
    }
}
