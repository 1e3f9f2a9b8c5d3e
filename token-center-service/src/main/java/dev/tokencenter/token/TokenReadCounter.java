package dev.tokencenter.token;

import dev.tokencenter.registry.CredentialKey;
import jakarta.annotation.PreDestroy;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts token reads per client and credential without a write per request: reads are added up in memory and the
 * sums added to Redis hashes every few seconds ({@code HINCRBY}, one script call per flush): an all-time hash and
 * one per UTC day (kept {@value #DAYS_KEPT} days). Field: {@code <tenant>/<app>/<env>|<client id>}.
 */
@Component
public class TokenReadCounter {

    static final String ALL_TIME_KEY = "token-center:token-reads";
    static final String DAY_KEY_PREFIX = "token-center:token-reads:";
    static final int DAYS_KEPT = 35;

    private static final Logger log = LoggerFactory.getLogger(TokenReadCounter.class);
    private static final String ADD_COUNTS = """
            for i = 2, #ARGV, 2 do
              redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
              redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
            end
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            return 0
            """;

    private final RedissonClient redisson;
    private final ConcurrentHashMap<Read, LongAdder> pending = new ConcurrentHashMap<>();

    TokenReadCounter(RedissonClient redisson) {
        this.redisson = redisson;
    }

    public void record(String clientId, CredentialKey credential) {
        pending.computeIfAbsent(new Read(clientId, credential), read -> new LongAdder()).increment();
    }

    /** Adds the reads counted since the last flush to Redis; on failure they are kept for the next flush. */
    @Scheduled(fixedDelayString = "${token-center.token-api.read-count-flush-interval:5s}")
    @PreDestroy
    public void flush() {
        Map<Read, Long> taken = new HashMap<>();
        pending.forEach((read, adder) -> {
            long count = adder.sumThenReset();
            if (count > 0) {
                taken.put(read, count);
            }
        });
        if (taken.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>(1 + 2 * taken.size());
        args.add(Long.toString(DAYS_KEPT * 86_400L));
        taken.forEach((read, count) -> {
            args.add(read.field());
            args.add(Long.toString(count));
        });
        try {
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, ADD_COUNTS,
                    RScript.ReturnType.LONG, List.of(ALL_TIME_KEY, dayKey(LocalDate.now(ZoneOffset.UTC))),
                    args.toArray());
        } catch (RuntimeException e) {
            taken.forEach((read, count) -> pending.computeIfAbsent(read, r -> new LongAdder()).add(count));
            log.warn("Could not add {} token read counts to Redis, keeping them for the next flush: {}",
                    taken.size(), e.toString());
        }
    }

    /** All-time read counts by {@code <tenant>/<app>/<env>|<client id>} (blocking: not on an event loop). */
    public Map<String, Long> allTime() {
        return read(ALL_TIME_KEY);
    }

    /** Read counts of one UTC day by {@code <tenant>/<app>/<env>|<client id>} (blocking: not on an event loop). */
    public Map<String, Long> onDay(LocalDate utcDay) {
        return read(dayKey(utcDay));
    }

    /** Reads counted on this instance and not yet flushed (for metrics). */
    public long pendingCount() {
        return pending.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private Map<String, Long> read(String key) {
        Map<String, String> raw = redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap();
        Map<String, Long> counts = new HashMap<>();
        raw.forEach((field, value) -> counts.put(field, Long.parseLong(value)));
        return counts;
    }

    static String dayKey(LocalDate day) {
        return DAY_KEY_PREFIX + day;
    }

    private record Read(String clientId, CredentialKey credential) {

        String field() {
            return credential + "|" + clientId;
        }
    }
}
