package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream calls counted per credential, per endpoint, per quota day (a calendar day in UTC+8, as WeChat counts),
 * in Redis, so that every instance sees the same figures; each count Redis answers is copied to PostgreSQL shortly
 * after ({@link QuotaWriter}), so that a Redis that lost its data gets it back ({@link #restore}). While Redis cannot be
 * reached, calls are counted in PostgreSQL directly. Also guards automatic calls against the known daily limits.
 */
@Component
class QuotaAccounting {

    static final ZoneOffset QUOTA_ZONE = ZoneOffset.ofHours(8);
    /** Counter of stable force_refresh calls, next to the endpoint counters. */
    static final String FORCE_REFRESH = "/cgi-bin/stable_token#force_refresh";

    /** Answers the new counts: the endpoint's, then the force_refresh counter's (-1 when not counted). */
    private static final String COUNT = """
            local calls = redis.call('hincrby', KEYS[1], ARGV[1], 1)
            local forced = -1
            if ARGV[2] ~= '' then forced = redis.call('hincrby', KEYS[1], ARGV[2], 1) end
            redis.call('pexpire', KEYS[1], ARGV[3])
            return {calls, forced}
            """;
    /** Raises counters (field, calls pairs, then the expiry) to at least the given calls, never lowering one. */
    private static final String RAISE = """
            for i = 1, #ARGV - 1, 2 do
                local held = tonumber(redis.call('hget', KEYS[1], ARGV[i]) or '0')
                if held < tonumber(ARGV[i + 1]) then redis.call('hset', KEYS[1], ARGV[i], ARGV[i + 1]) end
            end
            redis.call('pexpire', KEYS[1], ARGV[#ARGV])
            return 1
            """;
    private static final Duration KEEP = Duration.ofDays(3);

    private final RedissonClient redisson;
    private final RedisKeys keys;
    private final RefreshProperties properties;
    private final Clock clock;
    private final QuotaWriter writer;

    QuotaAccounting(RedissonClient redisson, RedisKeys keys, RefreshProperties properties, Clock clock,
                    QuotaWriter writer, RedisBreaker breaker) {
        this.redisson = redisson;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
        this.writer = writer;
        // PostgreSQL may hold more than Redis (Redis lost counts): Redis follows it, never the other way round
        writer.onWritten(written -> {
            if (!breaker.isOpen()) {
                restore(written);
            }
        });
    }

    LocalDate quotaDay() {
        return LocalDate.ofInstant(clock.instant(), QUOTA_ZONE);
    }

    /** The start of the next quota day: midnight in UTC+8. */
    Instant nextQuotaDay() {
        return quotaDay().plusDays(1).atStartOfDay(QUOTA_ZONE).toInstant();
    }

    void count(long upstreamId, TokenEndpoint endpoint, boolean forceRefresh) {
        countIn(upstreamId, endpoint.path(), forceRefresh ? FORCE_REFRESH : "");
    }

    private void countIn(long upstreamId, String path, String forceCounter) {
        LocalDate day = quotaDay();
        List<Long> counts = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, COUNT,
                RScript.ReturnType.LIST, List.of(keys.quota(upstreamId, day)), path, forceCounter,
                Long.toString(KEEP.toMillis()));
        writer.record(upstreamId, day, path, counts.get(0));
        if (counts.get(1) >= 0) {
            writer.record(upstreamId, day, forceCounter, counts.get(1));
        }
    }

    /**
     * Raises Redis's counters to the given counts where Redis holds fewer (it restarted empty, or lost a write), in
     * one round trip; never lowers one.
     */
    void restore(Collection<QuotaLedger.Count> counts) {
        Map<String, List<String>> byKey = new HashMap<>();
        for (QuotaLedger.Count count : counts) {
            List<String> args = byKey.computeIfAbsent(keys.quota(count.upstreamId(), count.day()), key -> new ArrayList<>());
            args.add(count.counter());
            args.add(Long.toString(count.calls()));
        }
        if (byKey.isEmpty()) {
            return;
        }
        RBatch batch = redisson.createBatch();
        byKey.forEach((key, args) -> {
            args.add(Long.toString(KEEP.toMillis()));
            batch.getScript(StringCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, RAISE, RScript.ReturnType.LONG,
                    List.of(key), args.toArray());
        });
        batch.execute();
    }

    /** One call of another endpoint (a JS-SDK ticket call), counted under its path. */
    void countCall(long upstreamId, String path) {
        countIn(upstreamId, path, "");
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

    /**
     * The counter an automatic call of the endpoint must stay under today: the Redis hash, its field and the guarded
     * count (the configured share of the endpoint's known daily limit); null when the endpoint has no known limit.
     * Checked by {@link RedisTokenStore#start} in the step that starts an attempt.
     */
    record AutomaticCallGuard(String key, String counter, long below) {
    }

    AutomaticCallGuard automaticCallGuard(long upstreamId, TokenEndpoint endpoint) {
        long limit = dailyLimit(endpoint);
        return limit <= 0 ? null : new AutomaticCallGuard(keys.quota(upstreamId, quotaDay()), endpoint.path(),
                guardedFrom(limit));
    }

    /**
     * Without Redis (under the credential's advisory lock, {@code ledger} on its connection): the same guard by the
     * count in PostgreSQL, or the higher count this instance has recorded and not yet written there.
     */
    boolean allowsAutomaticCallWithoutRedis(QuotaLedger ledger, long upstreamId, TokenEndpoint endpoint) {
        long limit = dailyLimit(endpoint);
        if (limit <= 0) {
            return true;
        }
        LocalDate day = quotaDay();
        long used = Math.max(ledger.used(upstreamId, day, endpoint.path()),
                writer.notYetWritten(upstreamId, day, endpoint.path()));
        return used < guardedFrom(limit);
    }

    /** Without Redis: one call counted in PostgreSQL (committed before the call is made). */
    void countWithoutRedis(QuotaLedger ledger, long upstreamId, TokenEndpoint endpoint) {
        LocalDate day = quotaDay();
        ledger.countCall(upstreamId, day, endpoint.path(), writer.notYetWritten(upstreamId, day, endpoint.path()));
    }

    private long guardedFrom(long limit) {
        return (long) Math.floor(limit * properties.quotaGuardShare());
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
