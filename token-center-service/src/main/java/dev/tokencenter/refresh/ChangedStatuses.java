package dev.tokencenter.refresh;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream credentials whose status changed since monitoring last looked: written by this instance, or announced
 * by another on the status topic. Lets monitoring read what changed instead of everything.
 */
@Component
class ChangedStatuses {

    private final Set<Long> changed = ConcurrentHashMap.newKeySet();

    void changed(long upstreamId) {
        changed.add(upstreamId);
    }

    /** Takes every change noted so far; those noted meanwhile stay for the next call. */
    List<Long> drain() {
        List<Long> taken = List.copyOf(changed);
        taken.forEach(changed::remove);
        return taken;
    }

    /** Puts back changes that could not be read, so that the next call reads them. */
    void restore(List<Long> upstreamIds) {
        changed.addAll(upstreamIds);
    }
}
