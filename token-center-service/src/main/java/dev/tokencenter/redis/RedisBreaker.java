package dev.tokencenter.redis;

import org.redisson.api.RedissonClient;
import org.redisson.client.RedisBusyException;
import org.redisson.client.RedisClusterDownException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisMasterDownException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.WriteRedisConnectionException;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A circuit breaker for Redis. A call that fails because the connection to Redis is gone (refused, reset, no node)
 * opens it at once. A call that timed out, or that Redis refused while busy or loading, only makes it look: one probe,
 * at once, and it opens only if that probe fails too, so a command slowed by a busy machine does not send this
 * instance into the PostgreSQL fallback while the others stay on Redis. While it is open, token reads skip Redis (near cache, then PostgreSQL) and refreshes are coordinated in
 * PostgreSQL instead of waiting for a Redis timeout each. A probe, one cheap read every {@link #PROBE_PERIOD} on a
 * thread of its own, closes it when Redis answers again, and then tells the listeners (which put back what was
 * obtained meanwhile). Errors Redis answered (a script error, a wrong type) do not open it.
 */
@Component
public class RedisBreaker implements DisposableBean {

    static final Duration PROBE_PERIOD = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(RedisBreaker.class);
    private static final List<Class<? extends Throwable>> DISCONNECTED = List.of(RedisConnectionException.class,
            WriteRedisConnectionException.class, RedisNodeNotFoundException.class, RedisClusterDownException.class,
            RedisMasterDownException.class, IOException.class);
    private static final List<Class<? extends Throwable>> UNANSWERED = List.of(RedisTimeoutException.class,
            RedisRetryException.class, RedisLoadingException.class, RedisBusyException.class, TimeoutException.class);

    private final RedissonClient redisson;
    private final Duration probeBound;
    private final List<Runnable> onClosed = new CopyOnWriteArrayList<>();
    private final List<Runnable> onOpened = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-breaker-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean open;
    private final AtomicBoolean confirming = new AtomicBoolean();

    public RedisBreaker(RedissonClient redisson, RedisProperties properties) {
        this.redisson = redisson;
        this.probeBound = properties.commandBound();
        prober.scheduleWithFixedDelay(this::probeWhileOpen, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Whether Redis is taken to be unreachable: callers skip it instead of waiting for its timeout. */
    public boolean isOpen() {
        return open;
    }

    /**
     * A Redis call failed: opens the breaker when the connection is gone, or when a probe sent now does not get an
     * answer either after a call went unanswered.
     */
    public void failed(Throwable error) {
        if (open) {
            return;
        }
        if (causedBy(error, DISCONNECTED)) {
            open(error);
        } else if (causedBy(error, UNANSWERED) && confirming.compareAndSet(false, true)) {
            try {
                prober.execute(() -> confirm(error));
            } catch (RejectedExecutionException shuttingDown) {
                confirming.set(false);
            }
        }
    }

    /**
     * For callers that may block (refresh workers): like {@link #failed}, but an unanswered call is confirmed by a
     * probe on this thread, so the caller knows at once whether to go on without Redis. True when the breaker is open.
     */
    public boolean failedAndOpen(Throwable error) {
        if (open) {
            return true;
        }
        if (causedBy(error, DISCONNECTED) || (causedBy(error, UNANSWERED) && !answers())) {
            open(error);
        }
        return open;
    }

    private void confirm(Throwable error) {
        try {
            if (!answers()) {
                open(error);
            }
        } finally {
            confirming.set(false);
        }
    }

    private synchronized void open(Throwable error) {
        if (open) {
            return;
        }
        open = true;
        log.warn("Redis unreachable ({}): token reads skip it and refreshes are coordinated in PostgreSQL until it "
                + "answers again", rootName(error));
        onOpened.forEach(RedisBreaker::runQuietly);
    }

    /** Runs on the probe thread, each time the breaker closes: must not wait long. */
    public void onClosed(Runnable listener) {
        onClosed.add(listener);
    }

    /** Runs on the failing caller's thread or the probe thread, each time the breaker opens: must not block. */
    public void onOpened(Runnable listener) {
        onOpened.add(listener);
    }

    /** Whether {@code error} (or one of its causes) says that Redis could not be reached or did not answer. */
    public static boolean unreachable(Throwable error) {
        return causedBy(error, DISCONNECTED) || causedBy(error, UNANSWERED);
    }

    private static boolean causedBy(Throwable error, List<Class<? extends Throwable>> types) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private boolean answers() {
        try {
            redisson.getBucket(RedisHealthIndicator.PROBE_KEY, StringCodec.INSTANCE).isExistsAsync()
                    .toCompletableFuture().get(probeBound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception noAnswer) {
            return false;
        }
    }

    private void probeWhileOpen() {
        if (!open || !answers()) {
            return;
        }
        open = false;
        log.info("Redis answers again: token reads and refreshes use it again");
        onClosed.forEach(RedisBreaker::runQuietly);
    }

    private static void runQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("a Redis breaker listener failed: {}", e.toString());
        }
    }

    private static String rootName(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
    }
}
