package dev.tokencenter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JS-SDK style tickets: one per holder and type, the same until it expires, then a new one. The holder is the
 * appid (WeChat tickets, WeCom corp tickets) or a WeCom corp's app (agent_config tickets).
 */
final class TicketIssuer {

    record Ticket(String value, String appid, String type, Instant expiresAt) {
        long secondsLeft(Instant now) {
            return Math.max(0, Duration.between(now, expiresAt).getSeconds());
        }
    }

    /** {@code app} is the WeCom app for per-app tickets, {@code null} when the ticket belongs to the appid. */
    private record TicketKey(String appid, String app, String type) {
    }

    private static final Duration KEEP_DEAD_TICKETS = Duration.ofDays(1);

    private final SimulatorSettings settings;
    private final SimulatorClock clock;
    private final ConcurrentHashMap<TicketKey, Ticket> current = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Ticket> byValue = new ConcurrentHashMap<>();

    TicketIssuer(SimulatorSettings settings, SimulatorClock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The holder's ticket of this type; a new one if there is none or it has expired. */
    Ticket current(String appid, String app, String type) {
        Instant now = clock.now();
        return current.compute(new TicketKey(appid, app, type), (key, existing) ->
                existing != null && existing.secondsLeft(now) > 0 ? existing : issue(appid, type, now));
    }

    TicketValidity validity(String value) {
        Ticket ticket = value == null ? null : byValue.get(value);
        if (ticket == null) {
            return TicketValidity.unknown();
        }
        return new TicketValidity(clock.now().isBefore(ticket.expiresAt()), ticket.appid(), ticket.type(),
                ticket.expiresAt());
    }

    private Ticket issue(String appid, String type, Instant now) {
        byValue.values().removeIf(old -> old.expiresAt().isBefore(now.minus(KEEP_DEAD_TICKETS)));
        Ticket ticket;
        do {
            ticket = new Ticket(RandomIds.ticket(), appid, type, now.plus(settings.ticketLifetime()));
        } while (byValue.putIfAbsent(ticket.value(), ticket) != null);
        return ticket;
    }
}
