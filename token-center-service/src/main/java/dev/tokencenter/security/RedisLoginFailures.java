package dev.tokencenter.security;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Failed logins counted in Redis, so the limits hold across all instances. One script call per step; every key
 * expires at the end of its window (set by the failure that creates it). Each call waits at most {@code timeout}.
 */
final class RedisLoginFailures implements LoginFailureStore {

    private static final String READ = """
            return {tonumber(redis.call('get', KEYS[1]) or '0'), redis.call('pttl', KEYS[1]),
                    tonumber(redis.call('get', KEYS[2]) or '0'), redis.call('pttl', KEYS[2])}
            """;
    private static final String FAILED = """
            for _, key in ipairs(KEYS) do
              redis.call('incr', key)
              if redis.call('pttl', key) < 0 then redis.call('pexpire', key, ARGV[1]) end
            end
            return 1
            """;
    private static final String SUCCEEDED = "return redis.call('del', KEYS[1])";

    private final RedissonClient redisson;
    private final String windowMillis;
    private final Duration timeout;

    RedisLoginFailures(RedissonClient redisson, Duration window, Duration timeout) {
        this.redisson = redisson;
        this.windowMillis = Long.toString(window.toMillis());
        this.timeout = timeout;
    }

    @Override
    public LoginFailureCounts read(String usernameKey, String addressKey) {
        List<Long> values = call(RScript.ReturnType.LIST, READ, List.of(usernameKey, addressKey));
        return new LoginFailureCounts(values.get(0), Math.max(0, values.get(1)), values.get(2), Math.max(0, values.get(3)));
    }

    @Override
    public void failed(String usernameKey, String addressKey) {
        call(RScript.ReturnType.LONG, FAILED, List.of(usernameKey, addressKey), windowMillis);
    }

    @Override
    public void succeeded(String usernameKey) {
        call(RScript.ReturnType.LONG, SUCCEEDED, List.of(usernameKey));
    }

    private <T> T call(RScript.ReturnType type, String script, List<Object> keys, Object... args) {
        try {
            return redisson.getScript(StringCodec.INSTANCE).<T>evalAsync(RScript.Mode.READ_WRITE, script, type, keys, args)
                    .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis did not answer: " + e, e);
        }
    }
}
