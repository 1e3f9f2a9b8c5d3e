package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where readers ask for a ticket-only attempt (their ticket is missing or due): run on the refresh workers, coalesced
 * per credential and kind on this instance, and at most one per credential and kind per
 * {@code token-center.jssdk.on-demand-interval} cluster-wide (RATE_LIMITED otherwise; an attempt that made no
 * upstream call gives its slot back).
 */
@Component
class TicketRequests {

    private static final Logger log = LoggerFactory.getLogger(TicketRequests.class);

    private final RefreshEngine engine;
    private final RefreshAttempts attempts;
    private final RedisTokenStore store;
    private final RefreshProperties properties;
    private final TicketProperties ticketProperties;
    private final ConcurrentHashMap<String, CompletableFuture<TicketOutcome>> coalesced = new ConcurrentHashMap<>();

    TicketRequests(RefreshEngine engine, RefreshAttempts attempts, RedisTokenStore store, RefreshProperties properties,
                   TicketProperties ticketProperties) {
        this.engine = engine;
        this.attempts = attempts;
        this.store = store;
        this.properties = properties;
        this.ticketProperties = ticketProperties;
    }

    CompletableFuture<TicketOutcome> ticket(CatalogEntry entry, TicketEndpoint kind) {
        String key = entry.upstreamId() + ":" + kind.label();
        CompletableFuture<TicketOutcome> created = new CompletableFuture<>();
        CompletableFuture<TicketOutcome> existing = coalesced.putIfAbsent(key, created);
        if (existing != null) {
            return existing;
        }
        created.whenComplete((outcome, error) -> coalesced.remove(key, created));
        if (!engine.tryExecute(() -> created.complete(attempt(entry, kind)))) {
            created.complete(TicketOutcome.of(TicketOutcome.Result.BUSY));
        }
        return created;
    }

    private TicketOutcome attempt(CatalogEntry entry, TicketEndpoint kind) {
        String window = "ticket-refresh-" + kind.label();
        try {
            if (!store.claimWindow(window, entry.upstreamId(), ticketProperties.onDemandInterval())) {
                return TicketOutcome.of(TicketOutcome.Result.RATE_LIMITED);
            }
            TicketOutcome outcome = attempts.runTickets(entry.upstreamId(), kind, properties.readWait());
            if (!outcome.result().calledUpstream()) {
                store.releaseWindow(window, entry.upstreamId());
            }
            return outcome;
        } catch (RuntimeException e) {
            log.warn("ticket attempt of {} ({}) failed: {}", entry.key(), kind.label(), e.toString());
            return TicketOutcome.of(TicketOutcome.Result.FAILED);
        }
    }
}
