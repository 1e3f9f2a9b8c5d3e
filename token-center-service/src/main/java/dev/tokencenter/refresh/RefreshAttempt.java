package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.wechat.TicketEndpoint;
import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamToken;
import dev.tokencenter.wechat.UpstreamTokenRequest;
import dev.tokencenter.wechat.WechatTokenClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One refresh of one credential, under its lock: re-read the shared status, ask {@link RefreshDecider} whether to
 * call, take a fence, call upstream (bounded), and record what the decider makes of the answer or the failure. This
 * class does the I/O; every decision is the decider's.
 */
final class RefreshAttempt {

    private static final Logger log = LoggerFactory.getLogger(RefreshAttempt.class);

    /** The collaborators every attempt uses. */
    record Tools(CredentialCatalog catalog, RefreshStateReader reader, FencedWrites writes, RedisTokenStore store,
                 QuotaAccounting quota, CredentialOpener secrets, WechatTokenClient client, TokenCipher sealing,
                 RefreshDecider decider, LocalBackoff backoff, RefreshProperties properties, Clock clock,
                 Duration neededForCall, TicketSteps tickets, RefreshMeters meters) {
    }

    private final Tools tools;
    private final long upstreamId;
    private final RefreshRequest request;
    private final LockLease lease;
    private final AdvisoryHold hold;
    private final BooleanSupplier stopping;
    private CatalogEntry entry;
    private RefreshStatus status;
    private long fence;
    private Instant now;
    private Optional<TokenStateStore.Row> heldRow;
    /** The token Redis held when the attempt started (under the lock only this attempt replaces it). */
    private Optional<StoredToken> redisToken = Optional.empty();
    /** The ticket kinds clients used when the attempt started: a new token brings them along. */
    private Set<TicketEndpoint> enrolledTickets = Set.of();

    /** {@code hold}: the credential's advisory lock in PostgreSQL, or null when PostgreSQL did not answer. */
    RefreshAttempt(Tools tools, long upstreamId, RefreshRequest request, LockLease lease, AdvisoryHold hold,
                   BooleanSupplier stopping) {
        this.tools = tools;
        this.upstreamId = upstreamId;
        this.request = request;
        this.lease = lease;
        this.hold = hold;
        this.stopping = stopping;
    }

    RefreshOutcome run() {
        entry = tools.catalog().refreshable(upstreamId).orElse(null);
        if (entry == null) {
            return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
        }
        now = tools.clock().instant();
        RefreshStateReader.AttemptStart begun = tools.reader().attemptStart(upstreamId, TicketKinds.of(entry),
                this::databaseRow);
        RefreshStateReader.SharedState shared = begun.shared();
        redisToken = begun.redisToken();
        enrolledTickets = begun.enrolledTickets();
        status = shared.status();
        long fenceFloor = Math.max(status.sequence(), shared.fenceFloor());
        if (hold != null) {
            fenceFloor = Math.max(fenceFloor, adoptNewerFromDatabase());
        }
        Optional<RefreshOutcome> skip = tools.decider().reasonToSkip(request, status, entry, now, this::heldToken);
        if (skip.isPresent()) {
            return skip.get();
        }
        // fence, quota guard and REFRESHING in one step; a fence handed out by Redis reaches PostgreSQL with the first
        // status written under it (here or in failed)
        QuotaAccounting.AutomaticCallGuard guard = request.trigger().automatic()
                ? tools.quota().automaticCallGuard(upstreamId, entry.mode().endpoint()) : null;
        RefreshStatus refreshing = status.withState(RefreshState.REFRESHING, now);
        RedisTokenStore.Start start = tools.writes().start(upstreamId, fenceFloor, guard, refreshing, hold);
        fence = start.fence();
        if (!start.marked()) {
            RefreshOutcome failed = failed(tools.decider().quotaGuard(entry.mode(), tools.quota().dailyLimit(entry.mode().endpoint())));
            return new RefreshOutcome(RefreshOutcome.Result.REFUSED, failed.status());
        }
        status = refreshing;
        return call(false);
    }

    /**
     * Under the advisory lock, PostgreSQL's row is as new as anything any attempt wrote: an attempt coordinated there
     * while this instance or Redis was cut off may have stored a newer token. Then that status decides (and goes back
     * into Redis). Returns the row's fence, a floor for the next one.
     */
    private long adoptNewerFromDatabase() {
        Optional<TokenStateStore.Row> row = databaseRow();
        if (row.isEmpty()) {
            return 0;
        }
        RefreshStatus stored = row.get().status();
        if (stored.sequence() > status.sequence()) {
            row.get().token().ifPresent(token -> {
                tools.store().restoreToken(token, now);
                redisToken = Optional.empty(); // older than the row's: the row's is the one held now
            });
            tools.store().restoreStatus(upstreamId, stored);
            status = stored;
        }
        return row.get().fence();
    }

    /** Any failure outside the policy table: a retry with backoff and a recorded error, never a tight loop. */
    RefreshOutcome crashed(RuntimeException e) {
        log.warn("refresh of upstream credential {} ({}) failed: {}", upstreamId, request.trigger().label(), e.toString());
        String detail = e instanceof SealedValueException sealed ? sealed.getMessage() : e.getClass().getSimpleName();
        if (status == null) {
            status = RefreshStatus.none();
        }
        try {
            return failed(RefreshDecider.insideTokenCenter(detail));
        } catch (RuntimeException unrecorded) {
            tools.backoff().hold(upstreamId, tools.decider().unrecordedRetryAt(status, tools.clock().instant()));
            return new RefreshOutcome(RefreshOutcome.Result.FAILED, null);
        }
    }

    private RefreshOutcome call(boolean forceRefresh) {
        CredentialOpener.OpenCredential credential = tools.secrets().open(entry.environmentId()).orElse(null);
        if (credential == null) {
            return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
        }
        if (stopping.getAsBoolean()) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, status);
        }
        Optional<UpstreamFailure> tooLate = RefreshDecider.leaseTooShort(lease.left(), tools.neededForCall());
        if (tooLate.isPresent()) {
            return failed(tooLate.get());
        }
        tools.quota().count(upstreamId, entry.mode().endpoint(), forceRefresh);
        UpstreamToken answer;
        try {
            answer = tools.client().fetch(new UpstreamTokenRequest(entry.mode().endpoint(), credential.appid(),
                    credential.secret(), forceRefresh)).block();
        } catch (UpstreamCallException e) {
            abandonIfStopping();
            return failed(UpstreamFailure.classify(e));
        } catch (RuntimeException e) {
            abandonIfStopping();
            return failed(new UpstreamFailure(ErrcodePolicy.RETRY, null, "call failed: " + e.getClass().getSimpleName(), null, false));
        }
        // an answer that arrived is stored even while this instance stops: in classic mode it already superseded the
        // previous token upstream
        now = tools.clock().instant();
        RefreshDecider.AfterAnswer next = tools.decider().afterAnswer(request, status, entry, this::heldToken,
                credential.appid(), answer.accessToken(), now.plus(answer.expiresIn()), now, fence, forceRefresh);
        if (next instanceof RefreshDecider.Store store) {
            return store(store);
        }
        if (next instanceof RefreshDecider.ForceRefresh force) {
            return forceRefresh(force);
        }
        RefreshStatus unchanged = ((RefreshDecider.KeepHeld) next).status();
        save(unchanged);
        return new RefreshOutcome(RefreshOutcome.Result.UNCHANGED, unchanged);
    }

    /** A normal stable call returned the held token: force_refresh within its limits, on a renewed lease. */
    private RefreshOutcome forceRefresh(RefreshDecider.ForceRefresh force) {
        RefreshProperties properties = tools.properties();
        if (tools.quota().allowsForceRefresh(upstreamId, force.operatorReserve())
                && tools.store().claimWindow("force-refresh", upstreamId, properties.forceRefreshMinInterval())
                && lease.extend()) {
            return call(true);
        }
        log.warn("{}: force_refresh refused by its limits ({} per day, {} of them kept for operators, one per {})",
                entry.upstreamKey(), properties.forceRefreshDailyLimit(), force.operatorReserve(),
                properties.forceRefreshMinInterval());
        save(force.ifRefused());
        return new RefreshOutcome(RefreshOutcome.Result.REFUSED, force.ifRefused());
    }

    /** The new token is stored (with its status, in one step) before anything else that could fail. */
    private RefreshOutcome store(RefreshDecider.Store decided) {
        StoredToken sealed = tools.sealing().seal(decided.token());
        RefreshStatus refreshed = decided.status();
        switch (tools.writes().saveToken(entry.upstreamKey(), upstreamId, fence, sealed, refreshed, now, hold)) {
            case SUPERSEDED -> {
                return superseded();
            }
            case STORED -> {
                tools.meters().stored(dueAt(), now);
                status = refreshed;
                log.debug("{}: refreshed ({}), sequence {}", entry.upstreamKey(), request.trigger().label(), fence);
                if (!stopping.getAsBoolean()) {
                    tools.tickets().afterNewToken(entry, enrolledTickets, fence, decided.token(),
                            refreshed.nextRefreshAt(), lease, tools.neededForCall());
                }
            }
            case KEPT_LOCALLY -> {
            }
        }
        return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
    }

    /** When this refresh was due: the scheduled time for a scheduled refresh, else when it was asked for. */
    private Instant dueAt() {
        Instant scheduled = status.nextRefreshAt();
        if (request.trigger() == RefreshTrigger.SCHEDULED && scheduled != null && scheduled.isBefore(request.requestedAt())) {
            return scheduled;
        }
        return request.requestedAt();
    }

    private RefreshOutcome superseded() {
        return new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, tools.store().status(upstreamId).orElse(status));
    }

    private RefreshOutcome failed(UpstreamFailure failure) {
        now = tools.clock().instant();
        boolean pauses = failure.policy() == ErrcodePolicy.PAUSE || failure.policy() == ErrcodePolicy.QUOTA_GUARD;
        RefreshStatus next = tools.decider().afterFailure(status, failure, request.trigger(),
                entry == null ? null : entry.mode(), now,
                pauses ? tools.quota().nextQuotaDay() : null);
        if (fence == 0) {
            fence = tools.store().nextFence(upstreamId, status.sequence());
        }
        save(next);
        log.warn("{}: token call failed ({}, errcode {}), policy {}{}", entry == null ? upstreamId : entry.upstreamKey(),
                request.trigger().label(), failure.errcode(), failure.policy(),
                failure.ip() == null ? "" : ", caller IP seen by WeChat: " + failure.ip());
        return new RefreshOutcome(RefreshOutcome.Result.FAILED, next);
    }

    /** Fenced: a holder whose place was taken writes nothing. PostgreSQL follows asynchronously. */
    private boolean save(RefreshStatus next) {
        boolean saved = tools.writes().saveStatus(upstreamId, fence, next, now, hold);
        if (saved) {
            status = next;
        }
        return saved;
    }

    private Optional<CurrentToken> heldToken() {
        return tools.reader().heldToken(upstreamId, redisToken, this::databaseRow);
    }

    /**
     * The credential's PostgreSQL row: under the advisory lock read once per attempt (its token and what came before
     * this attempt change only under that lock), so that a first refresh, which finds nothing in Redis, reads it once
     * and not three times.
     */
    private Optional<TokenStateStore.Row> databaseRow() {
        if (hold == null) {
            return tools.reader().databaseRow(upstreamId);
        }
        if (heldRow == null) {
            heldRow = hold.row();
        }
        return heldRow;
    }

    private void abandonIfStopping() {
        if (stopping.getAsBoolean()) {
            throw new AbandonedCall();
        }
    }
}
