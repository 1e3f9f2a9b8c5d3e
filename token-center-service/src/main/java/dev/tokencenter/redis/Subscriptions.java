package dev.tokencenter.redis;

import org.redisson.client.RedisTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Pub/sub subscriptions made while the instance starts. Redis that answers a SUBSCRIBE late (a busy server, a slow
 * network at start-up) makes Redisson give up after its command timeout; one such answer must not stop the whole
 * instance from starting, so the subscription is tried again a few times with a growing pause. Every listener that
 * subscribes through here handles a repeated message as a no-op, so a first try that went through late is harmless.
 */
public final class Subscriptions {

    static final int ATTEMPTS = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

    private Subscriptions() {
    }

    /** Runs {@code subscribe} (an {@code addListener} call) until Redis answers it in time; its listener id. */
    public static int subscribe(String channel, IntSupplier subscribe) {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return subscribe.getAsInt();
            } catch (RedisTimeoutException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                log.warn("Subscribing to {} timed out (attempt {} of {}); trying again in {} ms", channel, attempt,
                        ATTEMPTS, pause.toMillis());
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing", e);
        }
    }
}
