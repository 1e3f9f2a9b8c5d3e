package dev.tokencenter.refresh;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.wechat.TokenEndpoint;
import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamToken;
import dev.tokencenter.wechat.UpstreamTokenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One refresh of one credential while Redis cannot be reached, under the credential's advisory lock in PostgreSQL
 * ({@link AdvisoryHold}): {@code token_state} is then the shared state. The same decisions as {@link RefreshAttempt}
 * ({@link RefreshDecider}), from the row read under the lock; a fence taken from the row and committed before the
 * call; the remaining lease checked right before it; every write a fenced upsert of the row, so that a holder whose
 * session ended and whose place was taken writes nothing. A new token reaches this instance's near cache at once and
 * the other instances through their poll of {@code token_state}; Redis gets it when it answers again
 * ({@link RedisReconvergence}). Scheduled, first-use, retry and registry-change refreshes run here; reports and forced
 * refreshes need Redis's cluster-wide rate limits and wait for it. The quota guard and the count of calls use
 * {@code quota_usage} on the held connection ({@link QuotaLedger}).
 */
final class FallbackAttempt {

    private static final Logger log = LoggerFactory.getLogger(FallbackAttempt.class);

    /** What an attempt coordinated in PostgreSQL needs besides {@link RefreshAttempt.Tools}. */
    record Extras(TokenChangeBus bus, RefreshStatusTopic statusTopic, TokenStateWriter writer) {
    }

    private final RefreshAttempt.Tools tools;
    private final Extras extras;
    private final long upstreamId;
    private final RefreshRequest request;
    private final AdvisoryHold hold;
    private final BooleanSupplier stopping;
    private CatalogEntry entry;
    private RefreshStatus status = RefreshStatus.none();
    private Optional<StoredToken> stored = Optional.empty();
    private long fence;
    private Instant now;

    FallbackAttempt(RefreshAttempt.Tools tools, Extras extras, long upstreamId, RefreshRequest request,
                    AdvisoryHold hold, BooleanSupplier stopping) {
        this.tools = tools;
        this.extras = extras;
        this.upstreamId = upstreamId;
        this.request = request;
        this.hold = hold;
        this.stopping = stopping;
    }

    /** Whether a refresh of this trigger may be coordinated without Redis. */
    static boolean coordinates(RefreshTrigger trigger) {
        return trigger != RefreshTrigger.REPORTED && trigger != RefreshTrigger.FORCED;
    }

    RefreshOutcome run() {
        entry = tools.catalog().refreshable(upstreamId).orElse(null);
        if (entry == null) {
            return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
        }
        now = tools.clock().instant();
        Optional<TokenStateStore.Row> row = hold.row();
        if (row.isPresent()) {
            status = row.get().status();
            stored = row.get().token();
        }
        Optional<RefreshOutcome> skip = tools.decider().reasonToSkip(request, status, entry, now, this::heldToken);
        if (skip.isPresent()) {
            return skip.get();
        }
        fence = hold.takeFence(status.sequence());
        TokenEndpoint endpoint = entry.mode().endpoint();
        if (request.trigger().automatic()
                && !tools.quota().allowsAutomaticCallWithoutRedis(hold.ledger(), upstreamId, endpoint)) {
            RefreshOutcome refused = failed(tools.decider().quotaGuard(entry.mode(), tools.quota().dailyLimit(endpoint)));
            return new RefreshOutcome(RefreshOutcome.Result.REFUSED, refused.status());
        }
        return call();
    }

    /** Any failure outside the policy table: a retry with backoff and a recorded error, never a tight loop. */
    RefreshOutcome crashed(RuntimeException e) {
        log.warn("refresh of upstream credential {} ({}, without Redis) failed: {}", upstreamId, request.trigger().label(),
                e.toString());
        String detail = e instanceof SealedValueException sealed ? sealed.getMessage() : e.getClass().getSimpleName();
        try {
            return failed(RefreshDecider.insideTokenCenter(detail));
        } catch (RuntimeException unrecorded) {
            tools.backoff().hold(upstreamId, tools.decider().unrecordedRetryAt(status, tools.clock().instant()));
            return new RefreshOutcome(RefreshOutcome.Result.FAILED, null);
        }
    }

    private RefreshOutcome call() {
        CredentialOpener.OpenCredential credential = tools.secrets().open(entry.environmentId()).orElse(null);
        if (credential == null) {
            return new RefreshOutcome(RefreshOutcome.Result.GONE, null);
        }
        if (stopping.getAsBoolean()) {
            return new RefreshOutcome(RefreshOutcome.Result.BUSY, status);
        }
        Optional<UpstreamFailure> tooLate = RefreshDecider.leaseTooShort(hold.left(), tools.neededForCall());
        if (tooLate.isPresent()) {
            return failed(tooLate.get());
        }
        tools.quota().countWithoutRedis(hold.ledger(), upstreamId, entry.mode().endpoint());
        UpstreamToken answer;
        try {
            answer = tools.client().fetch(new UpstreamTokenRequest(entry.mode().endpoint(), credential.appid(),
                    credential.secret(), false)).block();
        } catch (UpstreamCallException e) {
            return failed(UpstreamFailure.classify(e));
        } catch (RuntimeException e) {
            return failed(new UpstreamFailure(ErrcodePolicy.RETRY, null, "call failed: " + e.getClass().getSimpleName(), null, false));
        }
        now = tools.clock().instant();
        RefreshDecider.AfterAnswer next = tools.decider().afterAnswer(request, status, entry, this::heldToken,
                credential.appid(), answer.accessToken(), now.plus(answer.expiresIn()), now, fence, false);
        if (next instanceof RefreshDecider.Store decided) {
            return store(decided);
        }
        RefreshStatus unchanged = next instanceof RefreshDecider.ForceRefresh force ? force.ifRefused()
                : ((RefreshDecider.KeepHeld) next).status();
        save(unchanged);
        return new RefreshOutcome(next instanceof RefreshDecider.ForceRefresh ? RefreshOutcome.Result.REFUSED
                : RefreshOutcome.Result.UNCHANGED, unchanged);
    }

    /** The new token goes into the row (fenced) before anything else, then to this instance's near cache. */
    private RefreshOutcome store(RefreshDecider.Store decided) {
        StoredToken sealed = tools.sealing().seal(decided.token());
        RefreshStatus refreshed = decided.status();
        boolean saved;
        try {
            saved = hold.save(fence, sealed, refreshed);
        } catch (RuntimeException databaseFailed) {
            log.warn("{}: new token not stored under its advisory lock ({}): kept locally, written when PostgreSQL "
                    + "answers", entry.upstreamKey(), databaseFailed.getClass().getSimpleName());
            extras.writer().write(upstreamId, fence, sealed, refreshed);
            extras.bus().deliverLocally(sealed);
            tools.backoff().hold(upstreamId, refreshed.nextRefreshAt());
            return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
        }
        if (!saved) {
            log.info("{}: a newer refresh took over; this fetch (fence {}) is dropped", entry.upstreamKey(), fence);
            return new RefreshOutcome(RefreshOutcome.Result.NOT_NEEDED, status);
        }
        status = refreshed;
        tools.backoff().clear(upstreamId);
        extras.bus().deliverLocally(sealed);
        extras.statusTopic().written(upstreamId, refreshed);
        tools.meters().stored(request.requestedAt(), now);
        log.debug("{}: refreshed without Redis ({}), sequence {}", entry.upstreamKey(), request.trigger().label(), fence);
        return new RefreshOutcome(RefreshOutcome.Result.REFRESHED, refreshed);
    }

    private RefreshOutcome failed(UpstreamFailure failure) {
        now = tools.clock().instant();
        boolean pauses = failure.policy() == ErrcodePolicy.PAUSE || failure.policy() == ErrcodePolicy.QUOTA_GUARD;
        RefreshStatus next = tools.decider().afterFailure(status, failure, request.trigger(),
                entry == null ? null : entry.mode(), now, pauses ? tools.quota().nextQuotaDay() : null);
        if (fence == 0) {
            fence = hold.takeFence(status.sequence());
        }
        save(next);
        log.warn("{}: token call failed ({}, without Redis, errcode {}), policy {}",
                entry == null ? upstreamId : entry.upstreamKey(), request.trigger().label(), failure.errcode(),
                failure.policy());
        return new RefreshOutcome(RefreshOutcome.Result.FAILED, next);
    }

    /** Fenced: a holder whose place was taken writes nothing. */
    private void save(RefreshStatus next) {
        boolean saved;
        try {
            saved = hold.save(fence, null, next);
        } catch (RuntimeException e) {
            extras.writer().write(upstreamId, fence, null, next);
            tools.backoff().hold(upstreamId, next.nextRefreshAt() == null ? now.plus(tools.properties().schedulerPeriod())
                    : next.nextRefreshAt());
            return;
        }
        if (saved) {
            status = next;
            extras.statusTopic().written(upstreamId, next);
        }
    }

    private Optional<CurrentToken> heldToken() {
        try {
            return stored.map(tools.sealing()::open);
        } catch (SealedValueException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
