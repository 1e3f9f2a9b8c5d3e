package dev.tokencenter.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Test-facing call counters: every call of a WeChat endpoint, failed and faulted ones included, by appid
 * (or {@value #UNKNOWN_APPID} when the call names none) and endpoint path. Never reset by the quota day.
 */
final class CallCounters {

    static final String UNKNOWN_APPID = "unknown";

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongAdder>> counts = new ConcurrentHashMap<>();

    void increment(String appid, String path) {
        counts.computeIfAbsent(appid == null ? UNKNOWN_APPID : appid, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(path, p -> new LongAdder())
                .increment();
    }

    long count(String appid, String path) {
        Map<String, LongAdder> byPath = counts.get(appid == null ? UNKNOWN_APPID : appid);
        LongAdder adder = byPath == null ? null : byPath.get(path);
        return adder == null ? 0 : adder.sum();
    }

    /** A sorted snapshot: appid -> endpoint -> count. */
    Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> snapshot = new TreeMap<>();
        counts.forEach((appid, byPath) -> {
            Map<String, Long> paths = new TreeMap<>();
            byPath.forEach((path, adder) -> paths.put(path, adder.sum()));
            snapshot.put(appid, paths);
        });
        return snapshot;
    }

    void clear() {
        counts.clear();
    }
}
