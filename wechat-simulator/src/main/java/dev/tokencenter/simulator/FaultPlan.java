package dev.tokencenter.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The armed faults, consumed one per matching call, first armed first. */
final class FaultPlan {

    private static final class Armed {
        final Fault fault;
        int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.times();
        }
    }

    private final List<Armed> armed = new ArrayList<>();

    synchronized void add(Fault fault) {
        armed.add(new Armed(fault));
    }

    /** Takes one use of the first fault matching this call, if any. */
    synchronized Optional<Fault> take(String path, String appid) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed candidate = it.next();
            if (candidate.fault.matches(path, appid)) {
                if (--candidate.remaining <= 0) {
                    it.remove();
                }
                return Optional.of(candidate.fault);
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        armed.clear();
    }

    synchronized int size() {
        return armed.size();
    }
}
