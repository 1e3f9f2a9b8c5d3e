package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's decrypted JS-SDK tickets by upstream credential and kind. A ticket only replaces one stored under a
 * lower fence, so a late or repeated "ticket changed" message cannot bring an older ticket back. Readers that found no
 * usable ticket wait on {@link #next}, completed by the next newer ticket.
 */
final class TicketCache {

    private record Key(long upstreamId, TicketEndpoint kind) {
    }

    private final ConcurrentHashMap<Key, CurrentTicket> tickets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, CompletableFuture<CurrentTicket>> waiters = new ConcurrentHashMap<>();

    CurrentTicket get(long upstreamId, TicketEndpoint kind) {
        return tickets.get(new Key(upstreamId, kind));
    }

    void offer(CurrentTicket ticket) {
        Key key = new Key(ticket.upstreamId(), ticket.kind());
        CurrentTicket kept = tickets.merge(key, ticket, (cached, offered) -> offered.fence() > cached.fence() ? offered : cached);
        if (kept == ticket) {
            CompletableFuture<CurrentTicket> waiting = waiters.remove(key);
            if (waiting != null) {
                waiting.complete(ticket);
            }
        }
    }

    /** Completes with the next ticket this cache takes for the credential and kind (shared by all waiters). */
    CompletableFuture<CurrentTicket> next(long upstreamId, TicketEndpoint kind) {
        return waiters.computeIfAbsent(new Key(upstreamId, kind), key -> new CompletableFuture<>());
    }

    /** Drops the tickets of every other credential (deleted or disabled ones), so no decrypted ticket outlives its use. */
    void retainOnly(Set<Long> upstreamIds) {
        tickets.keySet().removeIf(key -> !upstreamIds.contains(key.upstreamId()));
    }
}
