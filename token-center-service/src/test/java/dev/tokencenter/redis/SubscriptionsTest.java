package dev.tokencenter.redis;

import org.junit.jupiter.api.Test;
import org.redisson.client.RedisTimeoutException;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionsTest {

    @Test
    void aSubscriptionAnsweredLateIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();

        int listener = Subscriptions.subscribe("token-center:db0:test", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new RedisTimeoutException("Subscription response timeout after 400ms");
            }
            return 42;
        });

        assertThat(listener).isEqualTo(42);
        assertThat(calls).hasValue(3);
    }

    @Test
    void itGivesUpAfterItsAttemptsAndOtherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Subscriptions.subscribe("token-center:db0:test", () -> {
            calls.incrementAndGet();
            throw new RedisTimeoutException("Subscription response timeout after 400ms");
        })).isInstanceOf(RedisTimeoutException.class);
        assertThat(calls).hasValue(Subscriptions.ATTEMPTS);

        AtomicInteger refused = new AtomicInteger();
        assertThatThrownBy(() -> Subscriptions.subscribe("token-center:db0:test", () -> {
            refused.incrementAndGet();
            throw new IllegalStateException("not a timeout");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(refused).hasValue(1);
    }
}
