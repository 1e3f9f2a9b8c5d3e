package dev.tokencenter.refresh;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared state in Redis: the current token of each credential (sealed), its refresh status, the fencing
 * sequence, and short-lived windows used as cluster-wide rate limits.
 */
@Component
class SharedTokenStore {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Replaces the stored token only when the new one carries a higher sequence. */
    private static final String WRITE_IF_NEWER = """
            local current = redis.call('get', KEYS[1])
            if current then
              local ok, decoded = pcall(cjson.decode, current)
              if ok and type(decoded) == 'table' and decoded['sequence'] and tonumber(decoded['sequence']) >= tonumber(ARGV[1]) then
                return 0
              end
            end
            redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """;

    /** Increments the fence, never handing out a value at or below the given floor (e.g. after Redis lost it). */
    private static final String NEXT_SEQUENCE = """
            local value = redis.call('incr', KEYS[1])
            local floor = tonumber(ARGV[1])
            if value <= floor then
              value = floor + 1
              redis.call('set', KEYS[1], value)
            end
            return value
            """;

    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofHours(1);

    private final RedissonClient redisson;
    private final RedisKeys keys;

    SharedTokenStore(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    Mono<Optional<StoredToken>> readTokenAsync(long environmentId) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.token(environmentId), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(JSON.readValue(json, StoredToken.class)))
                .defaultIfEmpty(Optional.empty());
    }

    Optional<StoredToken> readToken(long environmentId) {
        String json = redisson.<String>getBucket(keys.token(environmentId), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, StoredToken.class));
    }

    /** Stores the token unless a token with the same or a higher sequence is already there. */
    boolean writeTokenIfNewer(StoredToken token, Instant now) {
        long ttl = Math.max(Duration.between(now, token.expiresAt()).plus(KEEP_AFTER_EXPIRY).toMillis(), 1000);
        Long written = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, WRITE_IF_NEWER,
                RScript.ReturnType.LONG, List.of(keys.token(token.environmentId())),
                Long.toString(token.sequence()), JSON.writeValueAsString(token), Long.toString(ttl));
        return written != null && written == 1L;
    }

    long nextSequence(long environmentId, long floor) {
        Long value = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, NEXT_SEQUENCE,
                RScript.ReturnType.LONG, List.of(keys.fence(environmentId)), Long.toString(floor));
        return value;
    }

    Optional<RefreshStatus> status(long environmentId) {
        String json = redisson.<String>getBucket(keys.status(environmentId), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, RefreshStatus.class));
    }

    Mono<Optional<RefreshStatus>> statusAsync(long environmentId) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.status(environmentId), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(JSON.readValue(json, RefreshStatus.class)))
                .defaultIfEmpty(Optional.empty());
    }

    /** The statuses of many credentials in one round trip (MGET); absent ones are missing from the map. */
    Map<Long, RefreshStatus> statuses(Collection<Long> environmentIds) {
        Map<Long, RefreshStatus> result = new HashMap<>();
        if (environmentIds.isEmpty()) {
            return result;
        }
        Map<String, Long> byKey = new HashMap<>();
        environmentIds.forEach(id -> byKey.put(keys.status(id), id));
        Map<String, String> found = redisson.getBuckets(StringCodec.INSTANCE).get(byKey.keySet().toArray(String[]::new));
        found.forEach((key, json) -> result.put(byKey.get(key), JSON.readValue(json, RefreshStatus.class)));
        return result;
    }

    void writeStatus(long environmentId, RefreshStatus status) {
        redisson.getBucket(keys.status(environmentId), StringCodec.INSTANCE).set(JSON.writeValueAsString(status));
    }

    /** Claims a window of {@code length} for {@code name}: true for the first caller cluster-wide, false until it ends. */
    boolean claimWindow(String name, long environmentId, Duration length) {
        return redisson.getBucket(keys.window(name, environmentId), StringCodec.INSTANCE).setIfAbsent("1", length);
    }

    void forget(long environmentId) {
        redisson.getKeys().delete(keys.token(environmentId), keys.status(environmentId));
    }
}
