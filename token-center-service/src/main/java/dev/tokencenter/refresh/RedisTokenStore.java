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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared state in Redis, per upstream credential: the current token (sealed), its refresh status, the fence,
 * and short-lived windows used as cluster-wide rate limits. A refresh attempt writes token and status together in
 * one script, and only while it holds the newest fence: a holder whose lease ran out and whose place was taken
 * cannot write anything.
 */
@Component
class RedisTokenStore {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * KEYS: token, status, fence. ARGV: the attempt's fence, token JSON ('' for a status-only write), status JSON,
     * token TTL in ms, status TTL in ms, the token-changed channel, the status-changed channel, the status-changed
     * message ('' for none). Returns 0 (nothing written) unless the attempt holds the newest fence: every token stored
     * before came from an attempt with a lower fence, so the holder of the newest one always has the newest token.
     * What it wrote is announced in the same step: the token (its JSON is the token-changed message) and the status.
     */
    private static final String SAVE = """
            local fence = tonumber(redis.call('get', KEYS[3]) or '0')
            if fence ~= tonumber(ARGV[1]) then
              return 0
            end
            if ARGV[2] ~= '' then
              redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[4])
            end
            redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[5])
            if ARGV[2] ~= '' then
              redis.call('publish', ARGV[6], ARGV[2])
            end
            if ARGV[8] ~= '' then
              redis.call('publish', ARGV[7], ARGV[8])
            end
            return 1
            """;

    /**
     * KEYS: token, status, fence, then the JS-SDK ticket keys. ARGV: how long the fence is kept (ms). Drops token,
     * status and tickets and moves the fence on, so that an attempt still under way cannot write them back.
     */
    private static final String FORGET = """
            redis.call('incr', KEYS[3])
            redis.call('pexpire', KEYS[3], ARGV[1])
            redis.call('del', KEYS[1], KEYS[2])
            for i = 4, #KEYS do
              redis.call('del', KEYS[i])
            end
            return 1
            """;

    /** Restores a token from PostgreSQL: replaces the stored one only when it carries a higher sequence. */
    private static final String RESTORE_IF_NEWER = """
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

    /**
     * The start of {@link #NEXT_FENCE} and {@link #START}: KEYS[1] is the fence, ARGV[1] the floor; leaves the new fence
     * in {@code value}.
     */
    private static final String TAKE_FENCE = """
            local value = redis.call('incr', KEYS[1])
            redis.call('persist', KEYS[1])
            local floor = tonumber(ARGV[1])
            if value <= floor then
              value = floor + 1
              redis.call('set', KEYS[1], value)
            end
            """;

    /**
     * Increments the fence, never handing out a value at or below the given floor (e.g. after Redis lost it). The fence
     * of a served credential never expires (a forgotten one's does).
     */
    private static final String NEXT_FENCE = TAKE_FENCE + """
            return value
            """;

    /**
     * Starts an attempt in one step. KEYS: fence, status, the quota counters (the fence again when unguarded). ARGV:
     * the fence floor, the quota counter, the count an automatic call must stay under (-1: unguarded), the status JSON
     * (REFRESHING), its TTL in ms. Takes a new fence as {@link #NEXT_FENCE} does; then, unless the counter has reached
     * the guard, writes the status (the new fence is the newest, so no check is needed). Returns {fence, 1 when the
     * status was written, 0 when the guard refused}.
     */
    private static final String START = TAKE_FENCE + """
            local guard = tonumber(ARGV[3])
            if guard >= 0 and tonumber(redis.call('hget', KEYS[3], ARGV[2]) or '0') >= guard then
              return {value, 0}
            end
            redis.call('set', KEYS[2], ARGV[4], 'PX', ARGV[5])
            return {value, 1}
            """;

    /** Raises the fence to at least ARGV[1] (a fence PostgreSQL handed out while Redis was away), never lowering it. */
    private static final String RAISE_FENCE = """
            local value = tonumber(redis.call('get', KEYS[1]) or '0')
            if value < tonumber(ARGV[1]) then
              redis.call('set', KEYS[1], ARGV[1])
              return 1
            end
            return 0
            """;

    /**
     * Puts back a status read from PostgreSQL when Redis has none, or one of an older token (lower sequence). Returns 1
     * when it wrote.
     */
    private static final String RESTORE_STATUS = """
            local current = redis.call('get', KEYS[1])
            if current then
              local ok, decoded = pcall(cjson.decode, current)
              if ok and type(decoded) == 'table' and tonumber(decoded['sequence'] or 0) >= tonumber(ARGV[1]) then
                return 0
              end
            end
            redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """;

    /** Keys per MGET: a few hundred statuses answer well inside the command timeout, even on a busy Redis. */
    static final int MGET_BATCH = 500;

    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofHours(1);

    /**
     * A status (and a forgotten credential's fence) is kept this long after its last write. A served credential's
     * status is written at least once per token lifetime; one that stopped on an error is tried once again when its
     * status has expired, and stops again if the cause remains.
     */
    static final Duration STATUS_RETENTION = Duration.ofDays(7);

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RefreshStatusTopic statusTopic;

    RedisTokenStore(RedissonClient redisson, RedisKeys keys, RefreshStatusTopic statusTopic) {
        this.redisson = redisson;
        this.keys = keys;
        this.statusTopic = statusTopic;
    }

    Mono<Optional<StoredToken>> readTokenAsync(long upstreamId) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.token(upstreamId), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(JSON.readValue(json, StoredToken.class)))
                .defaultIfEmpty(Optional.empty());
    }

    Optional<StoredToken> readToken(long upstreamId) {
        String json = redisson.<String>getBucket(keys.token(upstreamId), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, StoredToken.class));
    }

    /**
     * Writes the status, and the token when one is given, in one atomic step, if {@code fence} is still the newest
     * fence of the credential, and announces in the same step what it wrote: the token to every instance's near cache
     * (this instance's included, through its subscription) and a settled status to the other instances' due indexes.
     * Returns whether it wrote. A written status goes to this instance's due index too.
     */
    boolean save(long upstreamId, long fence, StoredToken token, RefreshStatus status, Instant now) {
        String tokenJson = token == null ? "" : JSON.writeValueAsString(token);
        long ttl = token == null ? 0 : ttl(token, now);
        String announcement = statusTopic.announcement(upstreamId, status);
        Long written = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, SAVE,
                RScript.ReturnType.LONG, List.of(keys.token(upstreamId), keys.status(upstreamId), keys.fence(upstreamId)),
                Long.toString(fence), tokenJson, JSON.writeValueAsString(status), Long.toString(ttl),
                Long.toString(STATUS_RETENTION.toMillis()), keys.tokenChangedChannel(), keys.statusChangedChannel(),
                announcement == null ? "" : announcement);
        boolean saved = written != null && written == 1L;
        if (saved) {
            statusTopic.announced(upstreamId, status);
        }
        return saved;
    }

    /** Puts a token read from PostgreSQL back, unless a token with the same or a higher sequence is there. */
    void restoreToken(StoredToken token, Instant now) {
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RESTORE_IF_NEWER,
                RScript.ReturnType.LONG, List.of(keys.token(token.upstreamId())),
                Long.toString(token.sequence()), JSON.writeValueAsString(token), Long.toString(ttl(token, now)));
    }

    /**
     * Puts back a status read from PostgreSQL unless Redis holds one of the same or a newer token; true when it did
     * (then the due indexes of every instance follow).
     */
    boolean restoreStatus(long upstreamId, RefreshStatus status) {
        Long written = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RESTORE_STATUS,
                RScript.ReturnType.LONG, List.of(keys.status(upstreamId)), Long.toString(status.sequence()),
                JSON.writeValueAsString(status), Long.toString(STATUS_RETENTION.toMillis()));
        boolean restored = written != null && written == 1L;
        if (restored) {
            statusTopic.written(upstreamId, status);
        }
        return restored;
    }

    /** Makes the fence counter at least {@code fence}: no attempt coordinated by Redis reuses a PostgreSQL fence. */
    void raiseFence(long upstreamId, long fence) {
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, RAISE_FENCE, RScript.ReturnType.LONG,
                List.of(keys.fence(upstreamId)), Long.toString(fence));
    }

    private static long ttl(StoredToken token, Instant now) {
        return Math.max(Duration.between(now, token.expiresAt()).plus(KEEP_AFTER_EXPIRY).toMillis(), 1000);
    }

    /** A new fence for a refresh attempt: higher than every fence handed out before, and than {@code floor}. */
    long nextFence(long upstreamId, long floor) {
        return redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, NEXT_FENCE,
                RScript.ReturnType.LONG, List.of(keys.fence(upstreamId)), Long.toString(floor));
    }

    /** What {@link #start} did: the attempt's fence, and whether the status was written (false: the quota guard refused). */
    record Start(long fence, boolean marked) {
    }

    /**
     * A new fence, higher than every fence handed out before and than {@code floor}, and under it, unless {@code guard}
     * (null: none) refuses the call, the {@code marking} status: one round trip for what an attempt writes before its
     * upstream call. A written status goes to the due indexes of all instances.
     */
    Start start(long upstreamId, long floor, QuotaAccounting.AutomaticCallGuard guard, RefreshStatus marking) {
        List<Object> startKeys = List.of(keys.fence(upstreamId), keys.status(upstreamId),
                guard == null ? keys.fence(upstreamId) : guard.key());
        List<Long> answer = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, START,
                RScript.ReturnType.LIST, startKeys, Long.toString(floor), guard == null ? "" : guard.counter(),
                Long.toString(guard == null ? -1 : guard.below()), JSON.writeValueAsString(marking),
                Long.toString(STATUS_RETENTION.toMillis()));
        boolean marked = answer.get(1) == 1L;
        if (marked) {
            statusTopic.written(upstreamId, marking);
        }
        return new Start(answer.get(0), marked);
    }

    /**
     * The status and the token as Redis holds them, read together; empty where Redis has none. {@code found}: every
     * key the same round trip read that Redis holds, by key (the {@code others} asked for among them).
     */
    record StatusAndToken(Optional<RefreshStatus> status, Optional<StoredToken> token, Map<String, String> found) {
    }

    /** One MGET for what an attempt reads first: the status, the token it may compare an answer with, and {@code others}. */
    StatusAndToken statusAndToken(long upstreamId, List<String> others) {
        String statusKey = keys.status(upstreamId);
        String tokenKey = keys.token(upstreamId);
        List<String> names = new ArrayList<>(others.size() + 2);
        names.add(statusKey);
        names.add(tokenKey);
        names.addAll(others);
        Map<String, String> found = redisson.getBuckets(StringCodec.INSTANCE).get(names.toArray(String[]::new));
        String status = found.get(statusKey);
        String token = found.get(tokenKey);
        return new StatusAndToken(status == null ? Optional.empty() : Optional.of(JSON.readValue(status, RefreshStatus.class)),
                token == null ? Optional.empty() : Optional.of(JSON.readValue(token, StoredToken.class)), found);
    }

    Optional<RefreshStatus> status(long upstreamId) {
        String json = redisson.<String>getBucket(keys.status(upstreamId), StringCodec.INSTANCE).get();
        return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, RefreshStatus.class));
    }

    Mono<Optional<RefreshStatus>> statusAsync(long upstreamId) {
        return Mono.fromCompletionStage(redisson.<String>getBucket(keys.status(upstreamId), StringCodec.INSTANCE).getAsync())
                .map(json -> Optional.of(JSON.readValue(json, RefreshStatus.class)))
                .defaultIfEmpty(Optional.empty());
    }

    /**
     * The statuses of many credentials, one MGET per {@value #MGET_BATCH} (each bounded by the Redis command timeout);
     * absent ones are missing from the map.
     */
    Map<Long, RefreshStatus> statuses(Collection<Long> upstreamIds) {
        Map<Long, RefreshStatus> result = new HashMap<>();
        List<Long> ids = List.copyOf(upstreamIds);
        for (int from = 0; from < ids.size(); from += MGET_BATCH) {
            Map<String, Long> byKey = new HashMap<>();
            ids.subList(from, Math.min(ids.size(), from + MGET_BATCH)).forEach(id -> byKey.put(keys.status(id), id));
            Map<String, String> found = redisson.getBuckets(StringCodec.INSTANCE).get(byKey.keySet().toArray(String[]::new));
            found.forEach((key, json) -> result.put(byKey.get(key), JSON.readValue(json, RefreshStatus.class)));
        }
        return result;
    }

    /** Claims a window of {@code length} for {@code name}: true for the first caller cluster-wide, false until it ends. */
    boolean claimWindow(String name, long upstreamId, Duration length) {
        return redisson.getBucket(keys.window(name, upstreamId), StringCodec.INSTANCE).setIfAbsent("1", length);
    }

    /** Gives a window back early (the claim led to nothing being refreshed). */
    void releaseWindow(String name, long upstreamId) {
        redisson.getBucket(keys.window(name, upstreamId), StringCodec.INSTANCE).delete();
    }

    /** Drops what Redis holds for an upstream credential nobody names any more; an attempt under way cannot write it back. */
    void forget(long upstreamId) {
        List<Object> forgotten = new ArrayList<>(List.of(keys.token(upstreamId), keys.status(upstreamId), keys.fence(upstreamId)));
        forgotten.addAll(keys.ticketKeys(upstreamId));
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, FORGET, RScript.ReturnType.LONG,
                forgotten, Long.toString(STATUS_RETENTION.toMillis()));
    }
}
