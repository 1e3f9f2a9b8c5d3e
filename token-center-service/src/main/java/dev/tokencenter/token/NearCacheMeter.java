package dev.tokencenter.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Near-cache lookups of token reads ({@code tokencenter_near_cache_requests_total}): two counters made once. */
final class NearCacheMeter {

    private final Counter hits;
    private final Counter misses;

    NearCacheMeter(MeterRegistry registry) {
        this.hits = counter(registry, "hit");
        this.misses = counter(registry, "miss");
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("tokencenter.near.cache.requests")
                .description("Near-cache lookups of token reads")
                .tag("result", result)
                .register(registry);
    }
}
