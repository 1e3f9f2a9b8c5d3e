package dev.tokencenter.security;

import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Counts failed admin logins per username and per client address, in Redis (cluster-wide) or, while Redis does not
 * answer within {@code redis-timeout}, in this instance's memory; Redis is tried again after {@link #REDIS_PAUSE_MILLIS}.
 * Blocking but bounded: call it on a bounded-elastic thread, right before and after the password check, so that
 * attempts in flight can exceed a limit only by the number of password checks running at that moment.
 */
@Component
class LoginThrottle {

    static final long REDIS_PAUSE_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginThrottleProperties properties;
    private final LoginFailureStore redis;
    private final LoginFailureStore local;
    private volatile long redisPausedUntil;

    LoginThrottle(LoginThrottleProperties properties, RedissonClient redisson) {
        this.properties = properties;
        this.redis = new RedisLoginFailures(redisson, properties.window(), properties.redisTimeout());
        this.local = new LocalLoginFailures(properties.window(), properties.localMaximumEntries());
    }

    /** Seconds to wait before trying again when the username or the address is over its limit; 0 when allowed. */
    long retryAfterSeconds(String username, String address) {
        LoginFailureCounts counts = withStore(store -> store.read(usernameKey(username), addressKey(address)));
        long waitMillis = 0;
        if (counts.usernameFailures() >= properties.maxFailuresPerUsername()) {
            waitMillis = Math.max(waitMillis, Math.max(1, counts.usernameRemainingMillis()));
        }
        if (counts.addressFailures() >= properties.maxFailuresPerAddress()) {
            waitMillis = Math.max(waitMillis, Math.max(1, counts.addressRemainingMillis()));
        }
        return (waitMillis + 999) / 1000;
    }

    void failed(String username, String address) {
        withStore(store -> {
            store.failed(usernameKey(username), addressKey(address));
            return null;
        });
    }

    void succeeded(String username) {
        withStore(store -> {
            store.succeeded(usernameKey(username));
            return null;
        });
    }

    private <T> T withStore(Function<LoginFailureStore, T> step) {
        if (System.currentTimeMillis() >= redisPausedUntil) {
            try {
                return step.apply(redis);
            } catch (RuntimeException e) {
                redisPausedUntil = System.currentTimeMillis() + REDIS_PAUSE_MILLIS;
                log.warn("Failed admin logins are counted in this instance's memory for the next {} s: {}",
                        REDIS_PAUSE_MILLIS / 1000, e.getMessage());
            }
        }
        return step.apply(local);
    }

    private String usernameKey(String username) {
        return properties.keyPrefix() + "{login}:user:" + sha256(username == null ? "" : username);
    }

    /** An IPv6 client usually holds a whole /64: count by that, not by single addresses. */
    private String addressKey(String address) {
        InetAddress parsed = IpAddresses.parse(address);
        String key = address;
        if (parsed != null && parsed.getAddress().length == 16) {
            key = HexFormat.of().formatHex(Arrays.copyOf(parsed.getAddress(), 8)) + "/64";
        }
        return properties.keyPrefix() + "{login}:address:" + key;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
