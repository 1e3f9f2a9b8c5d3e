package dev.tokencenter.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts refusals within one window: which to record (at most {@code maxPerSource} per address and reason, at most
 * {@code maxPerWindow} in all, at most {@code maxSources} pairs tracked) and how many were left out, by reason.
 * Not thread-safe: {@link RefusalAudit} synchronizes.
 */
final class RefusalWindow {

    private final RefusalAuditProperties limits;
    private final long startedAtMillis;
    private final Map<String, Integer> recordedBySource = new HashMap<>();
    private final Map<String, Long> suppressedByReason = new TreeMap<>();
    private int recorded;
    private long suppressed;

    RefusalWindow(RefusalAuditProperties limits, long startedAtMillis) {
        this.limits = limits;
        this.startedAtMillis = startedAtMillis;
    }

    /** True when this refusal is to be recorded; otherwise it is counted as left out. */
    boolean admit(String address, String reason) {
        String source = address + " " + reason;
        Integer bySource = recordedBySource.get(source);
        boolean room = recorded < limits.maxPerWindow()
                && (bySource == null ? recordedBySource.size() < limits.maxSources() : bySource < limits.maxPerSource());
        if (room) {
            recordedBySource.merge(source, 1, Integer::sum);
            recorded++;
            return true;
        }
        suppressed++;
        suppressedByReason.merge(reason, 1L, Long::sum);
        return false;
    }

    long startedAtMillis() {
        return startedAtMillis;
    }

    long suppressed() {
        return suppressed;
    }

    Map<String, Long> suppressedByReason() {
        return suppressedByReason;
    }
}
