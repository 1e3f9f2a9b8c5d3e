package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamTicket;
import dev.tokencenter.wechat.WechatTicketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JS-SDK ticket calls under a credential's lock, with a token the attempt holds: each stored fenced (a late holder's
 * ticket is dropped) and announced, or its failure recorded as the ticket's last error. Never changes the token's
 * state; a ticket failure never makes a token refresh fail.
 */
@Component
class TicketSteps {

    private static final Logger log = LoggerFactory.getLogger(TicketSteps.class);

    /** What became of one ticket call. */
    enum Result {
        STORED,
        /** WeChat said the token is bad (40001, 40014, 42001). */
        TOKEN_REJECTED,
        FAILED,
        /** Not called: a limit or a backoff holds the kind. */
        HELD,
        /** Not called: too little of the lock lease was left, and it could not be renewed. */
        NOT_CALLED,
        /** A newer attempt holds the fence: nothing was written. */
        SUPERSEDED
    }

    private final TicketStore store;
    private final TokenCipher sealing;
    private final TicketChangeBus bus;
    private final WechatTicketClient client;
    private final QuotaAccounting quota;
    private final TicketProperties tickets;
    private final RefreshProperties refresh;
    private final Clock clock;

    TicketSteps(TicketStore store, TokenCipher sealing, TicketChangeBus bus, WechatTicketClient client,
                QuotaAccounting quota, TicketProperties tickets, RefreshProperties refresh, Clock clock) {
        this.store = store;
        this.sealing = sealing;
        this.bus = bus;
        this.client = client;
        this.quota = quota;
        this.tickets = tickets;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * A new token was just stored: the kinds clients use ({@code enrolled}, read as the attempt started) are fetched
     * with it, under the same lock and fence, unless the held ticket stays good until after the next token refresh
     * (then that refresh fetches it). A kind first used while the attempt ran is fetched when a client asks for it.
     */
    void afterNewToken(CatalogEntry entry, Set<TicketEndpoint> enrolled, long fence, CurrentToken token,
                       Instant nextRefreshAt, LockLease lease, Duration neededForCall) {
        try {
            Instant horizon = nextRefreshAt == null ? clock.instant() : nextRefreshAt;
            for (TicketEndpoint kind : enrolled) {
                if (dueBy(entry.upstreamId(), kind, horizon)) {
                    fetch(entry, kind, fence, token, lease, neededForCall);
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: tickets not fetched after the token refresh: {}", entry.upstreamKey(), e.getClass().getSimpleName());
        }
    }

    /** One ticket call with {@code token}, unless a limit or backoff holds the kind. */
    Result fetch(CatalogEntry entry, TicketEndpoint kind, long fence, CurrentToken token, LockLease lease,
                 Duration neededForCall) {
        long upstreamId = entry.upstreamId();
        Instant now = clock.instant();
        TicketError previous = store.error(upstreamId, kind).orElse(null);
        if (previous != null && previous.notBefore() != null && previous.notBefore().isAfter(now)) {
            return Result.HELD;
        }
        if (lease.left().compareTo(neededForCall) < 0 && !lease.extend()) {
            return Result.NOT_CALLED;
        }
        if (kind.wecom() && !store.withinHourlyLimits(kind, now, Map.of(
                "corp-" + entry.appid(), tickets.wecomCorpHourlyLimit(), "u" + upstreamId, tickets.wecomAppHourlyLimit()))) {
            int failures = previous == null ? 1 : previous.failures() + 1;
            store.save(upstreamId, kind, fence, null, TicketFailures.limited(null,
                    "not called: the hourly limit of " + kind.path() + " calls is reached", kind, now, null, failures), now);
            log.warn("{}: {} ticket not fetched: hourly limit reached", entry.upstreamKey(), kind.label());
            return Result.HELD;
        }
        quota.countCall(upstreamId, kind.path());
        UpstreamTicket answer;
        try {
            answer = client.fetch(kind, token.accessToken()).block();
        } catch (UpstreamCallException e) {
            now = clock.instant();
            TicketFailures.Classified failure = TicketFailures.classify(e, kind, previous, now, quota.nextQuotaDay(), refresh);
            store.save(upstreamId, kind, fence, null, failure.error(), now);
            log.warn("{}: {} ticket call failed (errcode {}){}", entry.upstreamKey(), kind.label(),
                    failure.error().errcode(), failure.error().limited() ? ", held until " + failure.error().notBefore() : "");
            return failure.tokenRejected() ? Result.TOKEN_REJECTED : Result.FAILED;
        }
        now = clock.instant();
        Instant expiresAt = now.plus(answer.expiresIn());
        boolean heldAgain = heldValue(upstreamId, kind).map(answer.ticket()::equals).orElse(false);
        Instant renewableAt = heldAgain ? expiresAt : expiresAt.minus(tickets.refreshAhead());
        CurrentTicket ticket = new CurrentTicket(upstreamId, kind, fence, answer.ticket(), expiresAt, now, renewableAt);
        StoredTicket sealed = sealing.sealTicket(ticket);
        if (!store.save(upstreamId, kind, fence, sealed, null, now)) {
            log.info("{}: a newer attempt took over; this {} ticket (fence {}) is dropped", entry.upstreamKey(),
                    kind.label(), fence);
            return Result.SUPERSEDED;
        }
        bus.publish(sealed);
        return Result.STORED;
    }

    /** The credential's other enrolled kinds that are due now: a ticket-only attempt fetches them under the same lock. */
    List<TicketEndpoint> otherKindsDue(CatalogEntry entry, TicketEndpoint kind, Instant now) {
        List<TicketEndpoint> others = new ArrayList<>(TicketKinds.of(entry));
        others.remove(kind);
        if (others.isEmpty()) {
            return others;
        }
        return store.enrolled(entry.upstreamId(), others).stream()
                .filter(other -> dueBy(entry.upstreamId(), other, now)).toList();
    }

    Optional<StoredTicket> stored(long upstreamId, TicketEndpoint kind) {
        return store.read(upstreamId, kind);
    }

    /** Until when the recorded error holds the kind; null when nothing does. */
    Instant notBefore(long upstreamId, TicketEndpoint kind) {
        return store.error(upstreamId, kind).map(TicketError::notBefore).orElse(null);
    }

    private Optional<String> heldValue(long upstreamId, TicketEndpoint kind) {
        try {
            return store.read(upstreamId, kind).map(held -> sealing.openTicket(held).ticket());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Whether a call for this kind is worth making by {@code when}: no ticket, or the held one is renewable by then. */
    boolean dueBy(long upstreamId, TicketEndpoint kind, Instant when) {
        Optional<StoredTicket> stored = store.read(upstreamId, kind);
        return stored.isEmpty() || !stored.get().renewableAt().isAfter(when);
    }
}
