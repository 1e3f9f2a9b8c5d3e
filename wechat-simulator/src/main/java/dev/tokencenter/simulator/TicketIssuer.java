package dev.tokencenter.simulator;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** JS-SDK style tickets: one per (appid, type), the same until it expires, then a new one. */
final class TicketIssuer {

    record Ticket(String value, Instant expiresAt) {
        long secondsLeft(Instant now) {
            return Math.max(0, java.time.Duration.between(now, expiresAt).getSeconds());
        }
    }

    private record TicketKey(String appid, String type) {
    }

    private final SimulatorSettings settings;
    private final SimulatorClock clock;
    private final ConcurrentHashMap<TicketKey, Ticket> tickets = new ConcurrentHashMap<>();

    TicketIssuer(SimulatorSettings settings, SimulatorClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    Ticket current(String appid, String type) {
        Instant now = clock.now();
        return tickets.compute(new TicketKey(appid, type), (key, existing) ->
                existing != null && existing.secondsLeft(now) > 0
                        ? existing
                        : new Ticket(RandomIds.ticket(), now.plus(settings.ticketLifetime())));
    }
}
