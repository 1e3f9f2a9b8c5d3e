package dev.tokencenter.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Call limits over fixed clock windows (a clock minute, a clock hour), as WeChat counts its per-minute and
 * per-hour limits. A call is admitted only if every limit it falls under has room, and then counts against all
 * of them; refused calls count against none.
 */
final class WindowLimiter {

    /** One limit a call falls under: at most {@code max} calls per window for {@code key}. */
    record Limit(Object key, long max) {
    }

    private record Usage(long window, long calls) {
    }

    private final SimulatorClock clock;
    private final Map<Object, Usage> usage = new HashMap<>();

    WindowLimiter(SimulatorClock clock) {
        this.clock = clock;
    }

    /** Admits the call (and counts it under every limit) or refuses it. */
    synchronized boolean tryAcquire(Duration window, List<Limit> limits) {
        long current = Math.floorDiv(clock.now().toEpochMilli(), window.toMillis());
        for (Limit limit : limits) {
            if (callsIn(limit.key(), current) >= limit.max()) {
                return false;
            }
        }
        for (Limit limit : limits) {
            usage.put(limit.key(), new Usage(current, callsIn(limit.key(), current) + 1));
        }
        return true;
    }

    synchronized boolean tryAcquire(Duration window, Object key, long max) {
        return tryAcquire(window, List.of(new Limit(key, max)));
    }

    private long callsIn(Object key, long window) {
        Usage used = usage.get(key);
        return used == null || used.window() != window ? 0 : used.calls();
    }
}
