package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TokenEndpoint;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream calls counted per credential, per endpoint, per quota day (a calendar day in UTC+8, as WeChat counts),
 * in Redis, so that every instance sees the same figures. Also guards automatic calls against the known daily limits.
 */
@Component
class QuotaAccounting {

    static final ZoneOffset QUOTA_ZONE = ZoneOffset.ofHours(8);
    /** Counter of stable force_refresh calls, next to the endpoint counters. */
    static final String FORCE_REFRESH = "/cgi-bin/stable_token#force_refresh";

    private static final String COUNT = """
            redis.call('hincrby', KEYS[1], ARGV[1], 1)
            if ARGV[2] ~= '' then redis.call('hincrby', KEYS[1], ARGV[2], 1) end
            redis.call('pexpire', KEYS[1], ARGV[3])
            return 1
            """;
    private static final String COUNT_BY = """
            redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
            redis.call('pexpire', KEYS[1], ARGV[3])
            return 1
            """;
    private static final Duration KEEP = Duration.ofDays(3);

    /** Calls made while Redis could not be reached, by credential, quota day and endpoint: added once it answers. */
    private record Uncounted(long upstreamId, LocalDate day, String path) {
    }

    private final ConcurrentHashMap<Uncounted, Long> uncounted = new ConcurrentHashMap<>();

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RefreshProperties properties;
    private final Clock clock;

    QuotaAccounting(RedissonClient redisson, RedisKeys keys, RefreshProperties properties, Clock clock) {
        this.redisson = redisson;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    LocalDate quotaDay() {
        return LocalDate.ofInstant(clock.instant(), QUOTA_ZONE);
    }

    /** The start of the next quota day: midnight in UTC+8. */
    Instant nextQuotaDay() {
        return quotaDay().plusDays(1).atStartOfDay(QUOTA_ZONE).toInstant();
    }

    void count(long upstreamId, TokenEndpoint endpoint, boolean forceRefresh) {
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT, RScript.ReturnType.LONG,
                List.of(keys.quota(upstreamId, quotaDay())), endpoint.path(), forceRefresh ? FORCE_REFRESH : "",
                Long.toString(KEEP.toMillis()));
    }

    /** A call made while Redis cannot be reached: kept here until {@link #addUncounted()} can add it. */
    void countLater(long upstreamId, TokenEndpoint endpoint) {
        uncounted.merge(new Uncounted(upstreamId, quotaDay(), endpoint.path()), 1L, Long::sum);
    }

    /** Adds the calls counted while Redis was away to its counters; what fails stays for the next time. */
    void addUncounted() {
        for (Uncounted key : List.copyOf(uncounted.keySet())) {
            Long calls = uncounted.get(key);
            long n = calls == null ? 0 : calls;
            if (n == 0) {
                continue;
            }
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT_BY, RScript.ReturnType.LONG,
                    List.of(keys.quota(key.upstreamId(), key.day())), key.path(), Long.toString(n),
                    Long.toString(KEEP.toMillis()));
            uncounted.compute(key, (same, left) -> left == null || left <= n ? null : left - n);
        }
    }

    /** One call of another endpoint (a JS-SDK ticket call), counted under its path. */
    void countCall(long upstreamId, String path) {
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT, RScript.ReturnType.LONG,
                List.of(keys.quota(upstreamId, quotaDay())), path, "", Long.toString(KEEP.toMillis()));
    }

    /** Calls made today, by endpoint path (and the force_refresh counter). */
    Map<String, Long> usedToday(long upstreamId) {
        Map<String, String> raw = redisson.<String, String>getMap(keys.quota(upstreamId, quotaDay()), StringCodec.INSTANCE)
                .readAllMap();
        Map<String, Long> used = new TreeMap<>();
        raw.forEach((endpoint, count) -> used.put(endpoint, Long.parseLong(count)));
        return used;
    }

    /** Calls made today for many credentials in one round trip. */
    Map<Long, Map<String, Long>> usedToday(Collection<Long> upstreamIds) {
        LocalDate day = quotaDay();
        RBatch batch = redisson.createBatch();
        Map<Long, RFuture<Map<String, String>>> futures = new HashMap<>();
        for (Long id : upstreamIds) {
            futures.put(id, batch.<String, String>getMap(keys.quota(id, day), StringCodec.INSTANCE).readAllMapAsync());
        }
        if (!futures.isEmpty()) {
            batch.execute();
        }
        Map<Long, Map<String, Long>> result = new HashMap<>();
        futures.forEach((id, future) -> {
            Map<String, Long> used = new TreeMap<>();
            future.toCompletableFuture().join().forEach((endpoint, count) -> used.put(endpoint, Long.parseLong(count)));
            result.put(id, used);
        });
        return result;
    }

    long usedToday(long upstreamId, String counter) {
        String value = redisson.<String, String>getMap(keys.quota(upstreamId, quotaDay()), StringCodec.INSTANCE).get(counter);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Whether an automatic call stays within the configured share of the endpoint's known daily limit. */
    boolean allowsAutomaticCall(long upstreamId, TokenEndpoint endpoint) {
        long limit = dailyLimit(endpoint);
        if (limit <= 0) {
            return true;
        }
        return usedToday(upstreamId, endpoint.path()) < (long) Math.floor(limit * properties.quotaGuardShare());
    }

    long dailyLimit(TokenEndpoint endpoint) {
        return switch (endpoint) {
            case CLASSIC -> properties.classicDailyLimit();
            case STABLE -> properties.stableDailyLimit();
            case WECOM -> properties.wecomDailyLimit();
        };
    }

    /** Whether a force_refresh stays within the daily limit less {@code reserved} calls kept for others. */
    boolean allowsForceRefresh(long upstreamId, int reserved) {
        return usedToday(upstreamId, FORCE_REFRESH) < properties.forceRefreshDailyLimit() - reserved;
    }
}
