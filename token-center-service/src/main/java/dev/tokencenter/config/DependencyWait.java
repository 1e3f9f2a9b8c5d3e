package dev.tokencenter.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the first bean is created, waits until PostgreSQL and Redis accept connections: an instance started while
 * one of them is down (a whole stack started at once, a failover, a network still coming up) logs one line per try
 * naming what it waits for and retries with backoff, instead of failing with a connection stack trace and being
 * restarted in a loop. After {@code token-center.startup.dependency-wait} (default 5m; 0 turns the wait off) it gives
 * up with {@link DependencyUnreachableException}, which the start-up failure report explains. Only a TCP connection is
 * tried: a wrong password or database still fails with the driver's own message.
 */
public class DependencyWait implements BeanFactoryPostProcessor, EnvironmentAware {

    static final String LIMIT = "token-center.startup.dependency-wait";
    private static final Logger log = LoggerFactory.getLogger(DependencyWait.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Binder binder = Binder.get(environment);
        Duration limit = binder.bindOrCreate("token-center.startup", StartupProperties.class).dependencyWait();
        if (limit == null || limit.isZero() || limit.isNegative()) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        for (Dependency dependency : Dependency.configured(binder)) {
            await(dependency, limit, deadline);
        }
    }

    private static void await(Dependency dependency, Duration limit, long deadline) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            String failure = unreachable(dependency.endpoints());
            if (failure == null) {
                if (attempt > 1) {
                    log.info("{} at {} accepts connections now", dependency.name(), dependency.describe());
                }
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DependencyUnreachableException(dependency.name(), dependency.describe(), limit, failure);
            }
            Duration pause = Duration.ofNanos(Math.min(backoff.toNanos(), left));
            log.warn("Waiting for {} at {} ({}); attempt {}, next in {} ms, giving up after {} in all",
                    dependency.name(), dependency.describe(), failure, attempt, pause.toMillis(), limit);
            sleep(pause);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Null when one of the endpoints accepts a connection, else why none did. */
    private static String unreachable(List<InetSocketAddress> endpoints) {
        List<String> failures = new ArrayList<>();
        for (InetSocketAddress endpoint : endpoints) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.getHostString(), endpoint.getPort()),
                        (int) CONNECT_TIMEOUT.toMillis());
                return null;
            } catch (IOException e) {
                failures.add(describe(e));
            }
        }
        return String.join("; ", failures);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a dependency", e);
        }
    }
}
