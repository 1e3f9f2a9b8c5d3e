package dev.tokencenter.refresh;

import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.crypto.MasterKeyRing;
import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "token changed" topic over real Redis pub/sub: a token is decrypted once per instance. The storing instance
 * delivers its new token locally and then receives the script's message for it as well; opening that one again would
 * double the decryptions of every refresh on the instance that made it.
 */
class TokenChangeBusTest {

    private RedissonClient redisson;
    private TokenChangeBus bus;
    private final long upstreamId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
    private final AtomicInteger opens = new AtomicInteger();
    private final List<CurrentToken> delivered = new CopyOnWriteArrayList<>();
    private TokenCipher cipher;
    private String channel;

    @BeforeEach
    void start() {
        Config config = new Config();
        config.useSingleServer().setAddress(TestInfrastructure.get().redisAddress());
        redisson = Redisson.create(config);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = new TokenCipher(new EnvelopeCipher(MasterKeyRing.parse("k1:" + Base64.getEncoder().encodeToString(key)))) {
            @Override
            CurrentToken open(StoredToken stored) {
                if (stored.upstreamId() == upstreamId) {
                    opens.incrementAndGet();
                }
                return super.open(stored);
            }
        };
        RedisKeys keys = new RedisKeys(new RedisProperties(TestInfrastructure.get().redisAddress(), null, null, 0, 4, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMillis(200),
                new RedisProperties.Sentinel(null, null, null, null), new RedisProperties.Cluster(null)));
        channel = keys.tokenChangedChannel();
        bus = new TokenChangeBus(redisson, keys, cipher);
        bus.subscribe(new HoldingListener());
    }

    @AfterEach
    void stop() {
        bus.destroy();
        redisson.shutdown();
    }

    @Test
    void theStoringInstanceDoesNotOpenItsOwnTokenAgainWhenItsMessageArrives() throws Exception {
        StoredToken first = cipher.seal(token(7, "first-token"));
        bus.deliverLocally(first);
        publish(first);
        StoredToken second = cipher.seal(token(8, "second-token"));
        publish(second); // a token another instance stored: opened here once

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
        Thread.sleep(300); // a second open of the first token would have arrived by now
        assertThat(delivered).extracting(CurrentToken::accessToken).containsExactly("first-token", "second-token");
        assertThat(opens.get()).isEqualTo(2);
    }

    @Test
    void aRepeatedOrOlderMessageIsNotOpenedAgain() throws Exception {
        StoredToken newer = cipher.seal(token(12, "newer-token"));
        publish(newer);
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);

        publish(newer);
        publish(cipher.seal(token(11, "older-token")));
        StoredToken newest = cipher.seal(token(13, "newest-token"));
        publish(newest);

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
        Thread.sleep(300);
        assertThat(delivered).extracting(CurrentToken::accessToken).containsExactly("newer-token", "newest-token");
        assertThat(opens.get()).isEqualTo(2);
    }

    private void publish(StoredToken stored) {
        redisson.getTopic(channel, StringCodec.INSTANCE).publish(RedisTokenStore.JSON.writeValueAsString(stored));
    }

    private CurrentToken token(long sequence, String value) {
        Instant now = Instant.now();
        return new CurrentToken(upstreamId, sequence, "wx-bus-test", value, now.plusSeconds(7200), now, now.plusSeconds(7000));
    }

    /** Keeps the newest token per credential, as the near cache does. */
    private final class HoldingListener implements TokenChangeBus.Listener {

        private final Map<Long, Long> held = new ConcurrentHashMap<>();

        @Override
        public void tokenChanged(CurrentToken token) {
            if (token.upstreamId() != upstreamId) {
                return;
            }
            Long before = held.get(token.upstreamId());
            if (before == null || before < token.sequence()) {
                held.put(token.upstreamId(), token.sequence());
                delivered.add(token);
            }
        }

        @Override
        public boolean holds(long id, long sequence) {
            Long held = this.held.get(id);
            return held != null && held >= sequence;
        }

        @Override
        public void latestSequence(long id, long sequence) {
        }

        @Override
        public void servedOnly(Set<Long> upstreamIds) {
        }
    }
}
