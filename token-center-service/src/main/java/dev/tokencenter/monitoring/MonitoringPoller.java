package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.RefreshReadings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every {@code poll-period}, on a thread of its own (Redis and PostgreSQL calls block): brings {@link LatestReadings}
 * up to date and evaluates the readiness group for {@code tokencenter_ready}. It reads the shared state of the
 * environments whose status changed since the last poll (nothing, when nothing did); it reads every environment at
 * the first poll, when the catalog changed, when the quota day turned, after a failed read, and every
 * {@code full-read-period} in case a status message was lost. A failed read keeps the previous readings (and is what
 * the readiness group reports).
 */
@Component
class MonitoringPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MonitoringPoller.class);

    private final RefreshReadings engine;
    private final LatestReadings latest;
    private final ObjectProvider<HealthEndpoint> health;
    private final MonitoringProperties properties;
    private final AtomicInteger ready = new AtomicInteger();
    private volatile ScheduledExecutorService poller;
    private boolean failing;
    private long fullReadAt;
    private long fullReadCatalog;
    /** Null until the first full read. */
    private LocalDate fullReadQuotaDay;

    MonitoringPoller(RefreshReadings engine, LatestReadings latest, ObjectProvider<HealthEndpoint> health,
                     MonitoringProperties properties, MeterRegistry registry) {
        this.engine = engine;
        this.latest = latest;
        this.health = health;
        this.properties = properties;
        Gauge.builder("tokencenter.ready", ready, AtomicInteger::get)
                .description("1 when this instance's readiness group is UP, else 0")
                .register(registry);
    }

    synchronized void poll() {
        try {
            read();
            if (failing) {
                log.info("credential readings for metrics resumed");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("credential readings for metrics failed, keeping the last ones: {}", e.getClass().getSimpleName());
            }
            failing = true;
        }
        ready.set(readinessUp() ? 1 : 0);
    }

    private void read() {
        long catalog = engine.catalogVersion();
        LocalDate quotaDay = engine.quotaDay();
        long now = System.nanoTime();
        if (failing || fullReadQuotaDay == null || catalog != fullReadCatalog || !quotaDay.equals(fullReadQuotaDay)
                || now - fullReadAt >= properties.fullReadPeriod().toNanos()) {
            latest.replace(engine.read());
            fullReadAt = now;
            fullReadCatalog = catalog;
            fullReadQuotaDay = quotaDay;
        } else {
            latest.update(engine.readChanged());
        }
    }

    private boolean readinessUp() {
        try {
            HealthEndpoint endpoint = health.getIfAvailable();
            var readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
            return readiness != null && Status.UP.equals(readiness.getStatus());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "monitoring-poller");
            thread.setDaemon(true);
            return thread;
        });
        long period = properties.pollPeriod().toMillis();
        executor.scheduleWithFixedDelay(this::poll, 0, period, TimeUnit.MILLISECONDS);
        poller = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = poller;
        poller = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        ready.set(0);
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
