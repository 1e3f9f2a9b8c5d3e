package dev.tokencenter.refresh;

import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * When each upstream credential is next due on this instance: a time-ordered index, so that the scheduler looks only
 * at what is due instead of at every credential. Fed by full resyncs of the shared statuses (every catalog change and
 * reload), by the statuses this instance writes and by the status-changed messages of the other instances. It only
 * decides when an attempt is worth making; the lock and the re-check of the shared status under it decide whether
 * upstream is called, so a stale entry costs an attempt that ends NOT_NEEDED, never a second fetch.
 */
@Component
class DueIndex {

    /**
     * Credentials due at the same time are ordered by a per-instance shuffle of their ids, so that instances working
     * through many due credentials at once (start-up, a catalog full of new credentials) mostly take different ones
     * instead of queueing for the same locks.
     */
    private record Slot(long dueMillis, long order, long upstreamId) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot other) {
            int byTime = Long.compare(dueMillis, other.dueMillis);
            if (byTime != 0) {
                return byTime;
            }
            int byOrder = Long.compare(order, other.order);
            return byOrder != 0 ? byOrder : Long.compare(upstreamId, other.upstreamId);
        }
    }

    private final CredentialCatalog catalog;
    private final TreeSet<Slot> order = new TreeSet<>();
    private final Map<Long, Slot> slots = new HashMap<>();
    private final long shuffle = ThreadLocalRandom.current().nextLong() | 1;
    private volatile Consumer<Instant> earlierHead = due -> { };

    DueIndex(CredentialCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * When the scheduler should try the credential, given its shared status; empty when never (stopped). Agrees with
     * {@link RefreshEngine#isDue}: due at {@code now} exactly when the time returned is not after {@code now}.
     */
    static Optional<Instant> dueAt(RefreshStatus status, CatalogEntry entry) {
        if (status.state() == RefreshState.STOPPED) {
            return Optional.empty();
        }
        if (status.state() == RefreshState.PAUSED) {
            return Optional.of(status.pausedUntil() == null ? Instant.EPOCH : status.pausedUntil());
        }
        if (status.hasToken() && !entry.appid().equals(status.appid())) {
            return Optional.of(Instant.EPOCH);
        }
        return Optional.of(status.nextRefreshAt() == null ? Instant.EPOCH : status.nextRefreshAt());
    }

    /** Called with the new earliest due time whenever an update moves it earlier (the scheduler wakes up then). */
    void onEarlierHead(Consumer<Instant> listener) {
        this.earlierHead = listener;
    }

    /** Takes the status an attempt (here or elsewhere) wrote; statuses of credentials not refreshed here are ignored. */
    void update(long upstreamId, RefreshStatus status) {
        index(upstreamId, status, true);
    }

    /**
     * Takes a status unless the credential is in the index already: what was indexed since it was taken (an
     * announced status, newer than or the same as {@code status}) must not be undone by an attempt's late outcome.
     */
    void updateIfAbsent(long upstreamId, RefreshStatus status) {
        index(upstreamId, status, false);
    }

    private void index(long upstreamId, RefreshStatus status, boolean replace) {
        if (status.state() == RefreshState.REFRESHING) {
            return;
        }
        Optional<CatalogEntry> entry = catalog.refreshable(upstreamId);
        if (entry.isEmpty()) {
            remove(upstreamId);
            return;
        }
        Optional<Instant> due = dueAt(status, entry.get());
        if (due.isPresent()) {
            place(upstreamId, due.get(), replace);
        } else if (replace) {
            remove(upstreamId);
        }
    }

    void schedule(long upstreamId, Instant dueAt) {
        place(upstreamId, dueAt, true);
    }

    /** Schedules the credential unless it is in the index already (e.g. a newer status arrived meanwhile). */
    void scheduleIfAbsent(long upstreamId, Instant dueAt) {
        place(upstreamId, dueAt, false);
    }

    private void place(long upstreamId, Instant dueAt, boolean replace) {
        Instant head;
        synchronized (this) {
            Slot unchanged = slots.get(upstreamId);
            if (unchanged != null && (!replace || unchanged.dueMillis() == dueAt.toEpochMilli())) {
                return; // kept as asked, or the usual case in a resync
            }
            Slot previous = slots.remove(upstreamId);
            if (previous != null) {
                order.remove(previous);
            }
            head = order.isEmpty() ? null : Instant.ofEpochMilli(order.first().dueMillis());
            Slot slot = new Slot(dueAt.toEpochMilli(), Long.rotateLeft(upstreamId * shuffle, 29) ^ shuffle, upstreamId);
            slots.put(upstreamId, slot);
            order.add(slot);
        }
        if (head == null || dueAt.isBefore(head)) {
            earlierHead.accept(dueAt);
        }
    }

    synchronized void remove(long upstreamId) {
        Slot previous = slots.remove(upstreamId);
        if (previous != null) {
            order.remove(previous);
        }
    }

    /**
     * Whether the credential is back in the index for a time after {@code now}: a status written since it was taken
     * (by another instance's attempt, typically) moved it on, so an attempt still queued for it has nothing to do.
     */
    synchronized boolean scheduledAfter(long upstreamId, Instant now) {
        Slot slot = slots.get(upstreamId);
        return slot != null && slot.dueMillis() > now.toEpochMilli();
    }

    /** Removes and returns up to {@code max} credentials due at {@code now}, earliest first. */
    synchronized List<Long> takeDue(Instant now, int max) {
        List<Long> due = new ArrayList<>();
        long nowMillis = now.toEpochMilli();
        while (due.size() < max && !order.isEmpty() && order.first().dueMillis() <= nowMillis) {
            Slot slot = order.pollFirst();
            slots.remove(slot.upstreamId());
            due.add(slot.upstreamId());
        }
        return due;
    }

    /** The earliest due time, empty when nothing is scheduled. */
    synchronized Optional<Instant> nextDue() {
        return order.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(order.first().dueMillis()));
    }

    /** Drops credentials no longer refreshed (deleted, disabled, merged into another upstream credential). */
    synchronized void retainOnly(Set<Long> upstreamIds) {
        slots.values().removeIf(slot -> {
            boolean gone = !upstreamIds.contains(slot.upstreamId());
            if (gone) {
                order.remove(slot);
            }
            return gone;
        });
    }

    synchronized int size() {
        return slots.size();
    }
}
