package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A ticket-only attempt under the credential's lock, asked for by a reader that found its ticket missing or due: with
 * the held token, fenced like a refresh. When WeChat says the token is bad, the token is refreshed once (as a
 * confirmed report, within the on-demand rate limit), and that refresh fetches the tickets with the new token.
 */
final class TicketAttempt {

    private final RefreshAttempt.Tools tools;
    private final long upstreamId;
    private final TicketEndpoint kind;
    private final LockLease lease;
    private final AdvisoryHold hold;
    private final BooleanSupplier stopping;

    TicketAttempt(RefreshAttempt.Tools tools, long upstreamId, TicketEndpoint kind, LockLease lease, AdvisoryHold hold,
                  BooleanSupplier stopping) {
        this.hold = hold;
        this.tools = tools;
        this.upstreamId = upstreamId;
        this.kind = kind;
        this.lease = lease;
        this.stopping = stopping;
    }

    TicketOutcome run() {
        CatalogEntry entry = tools.catalog().refreshable(upstreamId).orElse(null);
        if (entry == null || !TicketKinds.of(entry).contains(kind)) {
            return TicketOutcome.of(TicketOutcome.Result.GONE);
        }
        Instant now = tools.clock().instant();
        Optional<StoredTicket> held = tools.tickets().stored(upstreamId, kind);
        if (held.isPresent() && held.get().renewableAt().isAfter(now)) {
            return new TicketOutcome(TicketOutcome.Result.NOT_NEEDED, held.get().renewableAt());
        }
        CurrentToken token = tools.reader().heldToken(upstreamId).orElse(null);
        if (token == null || !token.appid().equals(entry.appid())
                || !token.usableAt(now, tools.properties().minimumLifetimeFor(entry.mode()))) {
            return TicketOutcome.of(TicketOutcome.Result.NO_TOKEN);
        }
        if (stopping.getAsBoolean()) {
            return TicketOutcome.of(TicketOutcome.Result.BUSY);
        }
        RefreshStateReader.SharedState shared = tools.reader().sharedState(upstreamId);
        long fence = tools.store().nextFence(upstreamId, Math.max(shared.status().sequence(), shared.fenceFloor()));
        return switch (tools.tickets().fetch(entry, kind, fence, token, lease, tools.neededForCall())) {
            case STORED -> {
                // WeCom pages need both tickets: the other kind, when due, comes with this one instead of a second attempt
                for (TicketEndpoint other : tools.tickets().otherKindsDue(entry, kind, tools.clock().instant())) {
                    tools.tickets().fetch(entry, other, fence, token, lease, tools.neededForCall());
                }
                yield TicketOutcome.of(TicketOutcome.Result.STORED);
            }
            case SUPERSEDED -> TicketOutcome.of(TicketOutcome.Result.NOT_NEEDED);
            case HELD, NOT_CALLED -> new TicketOutcome(TicketOutcome.Result.HELD, tools.tickets().notBefore(upstreamId, kind));
            case FAILED -> new TicketOutcome(TicketOutcome.Result.FAILED, tools.tickets().notBefore(upstreamId, kind));
            case TOKEN_REJECTED -> refreshToken(token);
        };
    }

    /** The ticket call rejected the token: refresh it once, as a confirmed report; that refresh fetches the tickets. */
    private TicketOutcome refreshToken(CurrentToken rejected) {
        if (!tools.store().claimWindow(RefreshEngine.ON_DEMAND_WINDOW, upstreamId, tools.properties().reportMinInterval())) {
            return TicketOutcome.of(TicketOutcome.Result.FAILED);
        }
        RefreshRequest request = new RefreshRequest(RefreshTrigger.REPORTED, Duration.ZERO, tools.clock().instant(),
                rejected.accessToken());
        RefreshOutcome outcome = new RefreshAttempt(tools, upstreamId, request, lease, hold, stopping).run();
        if (!outcome.result().calledUpstream()) {
            tools.store().releaseWindow(RefreshEngine.ON_DEMAND_WINDOW, upstreamId);
        }
        boolean stored = tools.tickets().stored(upstreamId, kind).map(ticket -> ticket.fence() > 0
                && ticket.expiresAt().isAfter(tools.clock().instant()) && ticket.obtainedAt().isAfter(request.requestedAt().minusMillis(1)))
                .orElse(false);
        return TicketOutcome.of(stored ? TicketOutcome.Result.STORED : TicketOutcome.Result.FAILED);
    }
}
