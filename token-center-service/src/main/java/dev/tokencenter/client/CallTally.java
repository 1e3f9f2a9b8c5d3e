package dev.tokencenter.client;

import jakarta.annotation.PreDestroy;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts calls by a text field without a write per call: counts are added up in memory and the sums added to Redis
 * hashes on {@link #flush()} (every few seconds and at shutdown; {@code HINCRBY}, one script call per flush): an
 * all-time hash and one per UTC day (kept {@value #DAYS_KEPT} days). A flush that fails keeps its counts for the next
 * one. Subclasses name the keys and build the fields.
 */
public abstract class CallTally {

    static final int DAYS_KEPT = 35;

    private static final Logger log = LoggerFactory.getLogger(CallTally.class);
    private static final String ADD_COUNTS = """
            for i = 2, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
              redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
            end
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            return 0
            """;

    private final RedissonClient redisson;
    private final String allTimeKey;
    private final String dayKeyPrefix;
    private final ConcurrentHashMap<String, LongAdder> pending = new ConcurrentHashMap<>();

    /** Counts go to {@code allTimeKey} and {@code dayKeyPrefix + <UTC date>}. */
    protected CallTally(RedissonClient redisson, String allTimeKey, String dayKeyPrefix) {
        this.redisson = redisson;
        this.allTimeKey = allTimeKey;
        this.dayKeyPrefix = dayKeyPrefix;
    }

    protected void add(String field) {
        pending.computeIfAbsent(field, f -> new LongAdder()).increment();
    }

    @Scheduled(fixedDelayString = "${token-center.token-api.read-count-flush-interval:5s}")
    @PreDestroy
    public void flush() {
        Map<String, Long> taken = new HashMap<>();
        pending.forEach((field, adder) -> {
            long count = adder.sumThenReset();
            if (count > 0) {
                taken.put(field, count);
            }
        });
        if (taken.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>(1 + 2 * taken.size());
        args.add(Long.toString(DAYS_KEPT * 86_400L));
        taken.forEach((field, count) -> {
            args.add(field);
            args.add(Long.toString(count));
        });
        try {
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ADD_COUNTS,
                    RScript.ReturnType.LONG, List.of(allTimeKey, dayKey(LocalDate.now(ZoneOffset.UTC))),
                    args.toArray());
        } catch (RuntimeException e) {
            taken.forEach((field, count) -> pending.computeIfAbsent(field, f -> new LongAdder()).add(count));
            log.warn("Could not add {} call counts to {}, keeping them for the next flush: {}",
                    taken.size(), allTimeKey, e.toString());
        }
    }

    /** All-time counts by field (blocking: not on an event loop). */
    public Map<String, Long> allTime() {
        return read(allTimeKey);
    }

    /** Counts of one UTC day by field (blocking: not on an event loop). */
    public Map<String, Long> onDay(LocalDate utcDay) {
        return read(dayKey(utcDay));
    }

    /** Calls counted here and not yet flushed. */
    public long pendingCount() {
        return pending.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private Map<String, Long> read(String key) {
        Map<String, String> raw = redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap();
        Map<String, Long> counts = new HashMap<>();
        raw.forEach((field, value) -> counts.put(field, Long.parseLong(value)));
        return counts;
    }

    String dayKey(LocalDate day) {
        return dayKeyPrefix + day;
    }
}
