package dev.tokencenter.refresh;

import dev.tokencenter.support.StallingProxy;
import dev.tokencenter.support.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A credential's lock must not stay taken for the rest of its lease because Redis answered a lock or unlock command
 * late, or not at all: a lock request that timed out on the client may still have been granted (twice, when the
 * client retried it), and an unlock that never reached Redis leaves the lock where it was. Either way, the next
 * refresh of the credential, on any instance, would find it locked for up to the whole lease.
 */
class LockRequestFailureTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Far below the lease: the lock must be free again this soon once Redis answers in time. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(8);

    private StallingProxy proxy;
    private RedissonClient viaProxy;
    private RedissonClient direct;
    private CredentialLocks locks;

    @BeforeEach
    void start() throws Exception {
        URI redis = URI.create(TestInfrastructure.get().redisAddress());
        proxy = new StallingProxy(redis.getHost(), redis.getPort());
        Config slow = new Config();
        slow.useSingleServer().setAddress("redis://127.0.0.1:" + proxy.port())
                .setTimeout(300).setRetryAttempts(1).setRetryInterval(100)
                .setConnectionPoolSize(4).setConnectionMinimumIdleSize(1);
        viaProxy = Redisson.create(slow);
        Config straight = new Config();
        straight.useSingleServer().setAddress(TestInfrastructure.get().redisAddress());
        direct = Redisson.create(straight);
        locks = new CredentialLocks(viaProxy, Duration.ofMillis(700));
    }

    @AfterEach
    void stop() throws Exception {
        locks.destroy();
        viaProxy.shutdown();
        direct.shutdown();
        proxy.close();
    }

    @Test
    void aLockGrantedAfterTheRequestTimedOutIsGivenBackOnceRedisAnswersInTime() throws Exception {
        String name = lockName();
        proxy.delayReplies(Duration.ofMillis(1500));

        assertThatThrownBy(() -> locks.tryAcquire(name, Duration.ZERO, LEASE)).isInstanceOf(RuntimeException.class);
        RLock lock = direct.getLock(name);
        await().atMost(Duration.ofSeconds(3)).until(lock::isLocked); // the request reached Redis and was granted
        proxy.delayReplies(Duration.ZERO);

        await().atMost(FREED_WITHIN).until(() -> !lock.isLocked());
        assertThat(tryLockElsewhere(lock)).isTrue();
    }

    @Test
    void aLockWhoseUnlockNeverReachedRedisIsGivenBackOnceRedisAnswersAgain() throws Exception {
        String name = lockName();
        LockLease lease = locks.tryAcquire(name, Duration.ZERO, LEASE);
        assertThat(lease).isNotNull();
        RLock lock = direct.getLock(name);
        assertThat(lock.isLocked()).isTrue();
        proxy.stall();

        lease.release(); // cannot reach Redis: handed over, never thrown at the attempt
        assertThat(lock.isLocked()).isTrue();
        proxy.resume();

        await().atMost(FREED_WITHIN).until(() -> !lock.isLocked());
        assertThat(tryLockElsewhere(lock)).isTrue();
    }

    @Test
    void aReleaseAfterTheLeaseRanOutSaysSoAndLeavesTheNewHolderAlone() throws Exception {
        String name = lockName();
        LockLease lease = locks.tryAcquire(name, Duration.ZERO, Duration.ofMillis(300));
        assertThat(lease).isNotNull();
        RLock lock = direct.getLock(name);
        await().atMost(Duration.ofSeconds(3)).until(() -> !lock.isLocked());
        assertThat(lock.tryLock(0, 10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(lease::release).isInstanceOf(IllegalMonitorStateException.class);
        Thread.sleep(1000); // the lock is not cleared behind its new holder's back either
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
    }

    @Test
    void eachAttemptHoldsTheLockOnItsOwnEvenOnOneThread() throws Exception {
        String name = lockName();
        LockLease first = locks.tryAcquire(name, Duration.ZERO, LEASE);
        assertThat(first).isNotNull();

        assertThat(locks.tryAcquire(name, Duration.ZERO, LEASE)).isNull(); // not re-entered by a second attempt
        first.release();
        assertThat(direct.getLock(name).isLocked()).isFalse();
    }

    private static boolean tryLockElsewhere(RLock lock) throws InterruptedException {
        boolean taken = lock.tryLock(0, 10, TimeUnit.SECONDS);
        if (taken) {
            lock.unlock();
        }
        return taken;
    }

    private static String lockName() {
        return "token-center:test:lock:" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
