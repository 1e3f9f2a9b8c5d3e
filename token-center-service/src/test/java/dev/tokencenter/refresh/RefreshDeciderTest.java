package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The decisions of a refresh attempt, without Spring, Redis or PostgreSQL. */
class RefreshDeciderTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final long UPSTREAM = 7;
    private static final RefreshProperties PROPERTIES = DefaultRefreshProperties.get();
    private static final RefreshDecider.HeldToken NOT_TO_BE_READ = () -> fail("the held token was read");

    private final RefreshDecider decider = new RefreshDecider(PROPERTIES, new RefreshTimings(PROPERTIES), "instance-a");

    // ---- whether to call at all

    @Test
    void aScheduledRequestCallsOnlyWhenTheCredentialIsDue() {
        RefreshStatus notYet = ok(3, "wx1", NOW.plusSeconds(3600), NOW.plusSeconds(600));
        RefreshStatus due = ok(3, "wx1", NOW.plusSeconds(3600), NOW.minusSeconds(1));

        assertThat(skip(RefreshTrigger.SCHEDULED, notYet, entry(TokenMode.CLASSIC), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.NOT_NEEDED);
        assertThat(skip(RefreshTrigger.SCHEDULED, due, entry(TokenMode.CLASSIC), NOT_TO_BE_READ)).isEmpty();
        assertThat(skip(RefreshTrigger.SCHEDULED, stopped(due), entry(TokenMode.CLASSIC), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.NOT_NEEDED);
    }

    @Test
    void aTokenOfAnotherAppidMakesTheCredentialDueAtOnce() {
        RefreshStatus otherAppid = ok(3, "wx-old", NOW.plusSeconds(3600), NOW.plusSeconds(600));

        assertThat(RefreshDecider.isDue(otherAppid, entry(TokenMode.STABLE), NOW)).isTrue();
        assertThat(skip(RefreshTrigger.SECRET_CHANGED, otherAppid, entry(TokenMode.STABLE), NOT_TO_BE_READ)).isEmpty();
        assertThat(skip(RefreshTrigger.SECRET_CHANGED, ok(3, "wx1", NOW.plusSeconds(3600), NOW.plusSeconds(600)),
                entry(TokenMode.STABLE), NOT_TO_BE_READ)).contains(RefreshOutcome.Result.NOT_NEEDED);
    }

    @Test
    void aPauseHoldsUntilTheNextQuotaDayAndAStopUntilAnOperatorActs() {
        RefreshStatus paused = paused(NOW.plusSeconds(60));
        RefreshStatus pauseOver = paused(NOW.minusSeconds(1));

        assertThat(RefreshDecider.isBlocked(paused, NOW)).isTrue();
        assertThat(RefreshDecider.isDue(paused, entry(TokenMode.STABLE), NOW)).isFalse();
        assertThat(RefreshDecider.isBlocked(pauseOver, NOW)).isFalse();
        assertThat(RefreshDecider.isDue(pauseOver, entry(TokenMode.STABLE), NOW)).isTrue();
        RefreshStatus stopped = stopped(ok(3, "wx1", NOW.plusSeconds(3600), null));
        assertThat(skip(RefreshTrigger.FORCED, stopped, entry(TokenMode.STABLE), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.REFUSED);
        assertThat(skip(RefreshTrigger.REPORTED, paused, entry(TokenMode.STABLE), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.REFUSED);
        assertThat(skip(RefreshTrigger.RETRY, stopped, entry(TokenMode.STABLE), NOT_TO_BE_READ)).isEmpty();
        assertThat(skip(RefreshTrigger.RETRY, paused, entry(TokenMode.STABLE), NOT_TO_BE_READ)).isEmpty();
        assertThat(skip(RefreshTrigger.RETRY, ok(3, "wx1", NOW.plusSeconds(3600), null), entry(TokenMode.STABLE),
                NOT_TO_BE_READ)).contains(RefreshOutcome.Result.NOT_NEEDED);
    }

    @Test
    void aFirstUseCallsOnlyWhenNoUsableTokenIsHeldAndANewOneCanBeHad() {
        CatalogEntry stable = entry(TokenMode.STABLE);
        RefreshStatus fresh = ok(3, "wx1", NOW.plusSeconds(7200), NOW.plusSeconds(6930));
        RefreshStatus nearlyExpired = ok(3, "wx1", NOW.plusSeconds(30), NOW.minusSeconds(240));

        assertThat(skip(RefreshTrigger.FIRST_USE, RefreshStatus.none(), stable, NOT_TO_BE_READ)).isEmpty();
        assertThat(skip(RefreshTrigger.FIRST_USE, fresh, stable, held(3, "t-held")))
                .contains(RefreshOutcome.Result.NOT_NEEDED);
        assertThat(skip(RefreshTrigger.FIRST_USE, fresh, stable, Optional::empty))
                .as("a token that cannot be opened counts as absent").isEmpty();
        assertThat(skip(RefreshTrigger.FIRST_USE, nearlyExpired, stable, held(3, "t-held")))
                .as("inside the rotation window a stable call returns a new token").isEmpty();
        assertThat(skip(RefreshTrigger.FIRST_USE, ok(3, "wx-old", NOW.plusSeconds(7200), null), stable, NOT_TO_BE_READ))
                .as("a token of another AppID is never read, never served").isEmpty();
    }

    @Test
    void aFirstUseWaitsOutABackoffAndAWecomTokenThatCannotBeReplacedYet() {
        RefreshStatus retrying = new RefreshStatus(RefreshState.RETRYING, 0, null, null, null, NOW.plusSeconds(2),
                "scheduled", null, null, null, 1, NOW);
        assertThat(skip(RefreshTrigger.FIRST_USE, retrying, entry(TokenMode.STABLE), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.NOT_NEEDED);

        RefreshStatus wecomEnding = ok(3, "wx1", NOW.plusMillis(1500), NOW.plusSeconds(1));
        assertThat(skip(RefreshTrigger.FIRST_USE, wecomEnding, entry(TokenMode.WECOM), held(3, "t-held")))
                .as("below the WeCom minimum lifetime, but WeCom returns the same token until it expires")
                .contains(RefreshOutcome.Result.NOT_NEEDED);
        RefreshStatus wecomExpired = ok(3, "wx1", NOW.minusMillis(1), NOW.minusMillis(1));
        assertThat(skip(RefreshTrigger.FIRST_USE, wecomExpired, entry(TokenMode.WECOM), held(3, "t-held"))).isEmpty();
    }

    @Test
    void aReportCallsOnlyWhileTheReportedTokenIsTheOneHeld() {
        RefreshStatus status = ok(3, "wx1", NOW.plusSeconds(7200), NOW.plusSeconds(6930));
        CatalogEntry stable = entry(TokenMode.STABLE);

        assertThat(skip(report("t-held"), status, stable, held(3, "t-held"))).isEmpty();
        assertThat(skip(report("t-older"), status, stable, held(3, "t-held"))).contains(RefreshOutcome.Result.NOT_NEEDED);
        assertThat(skip(report("t-held"), status, stable, held(2, "t-held")))
                .as("a value stored under another sequence is not the current token")
                .contains(RefreshOutcome.Result.NOT_NEEDED);
        assertThat(skip(report(null), status, stable, NOT_TO_BE_READ)).contains(RefreshOutcome.Result.NOT_NEEDED);
    }

    @Test
    void aForcedRefreshIsDroppedWhenAnotherRefreshedSinceItWasAskedFor() {
        RefreshStatus refreshedAfter = new RefreshStatus(RefreshState.OK, 4, "wx1", NOW.plusSeconds(7200), NOW.plusMillis(1),
                NOW.plusSeconds(6930), "scheduled", null, null, "instance-b", 0, NOW.plusMillis(1));
        RefreshStatus refreshedBefore = ok(3, "wx1", NOW.plusSeconds(7200), NOW.plusSeconds(6930));

        assertThat(skip(RefreshTrigger.FORCED, refreshedAfter, entry(TokenMode.CLASSIC), NOT_TO_BE_READ))
                .contains(RefreshOutcome.Result.NOT_NEEDED);
        assertThat(skip(RefreshTrigger.FORCED, refreshedBefore, entry(TokenMode.CLASSIC), NOT_TO_BE_READ)).isEmpty();
    }

    // ---- WeChat's answer

    @Test
    void aNewTokenIsStoredUnderTheAttemptsFenceWithAnOkStatus() {
        RefreshStatus status = retrying(ok(3, "wx1", NOW.plusSeconds(100), NOW));
        Instant expiresAt = NOW.plusSeconds(7200);

        RefreshDecider.AfterAnswer next = decider.afterAnswer(request(RefreshTrigger.SCHEDULED, null), status,
                entry(TokenMode.CLASSIC), held(3, "t-held"), "wx1", "t-new", expiresAt, NOW, 9, false);

        assertThat(next).isInstanceOf(RefreshDecider.Store.class);
        RefreshDecider.Store store = (RefreshDecider.Store) next;
        assertThat(store.token().sequence()).isEqualTo(9);
        assertThat(store.token().accessToken()).isEqualTo("t-new");
        assertThat(store.token().upstreamId()).isEqualTo(UPSTREAM);
        assertThat(store.status().state()).isEqualTo(RefreshState.OK);
        assertThat(store.status().sequence()).isEqualTo(9);
        assertThat(store.status().obtainedAt()).isEqualTo(NOW);
        assertThat(store.status().refreshedBy()).isEqualTo("instance-a");
        assertThat(store.status().lastTrigger()).isEqualTo("scheduled");
        assertThat(store.status().lastError()).isNull();
        assertThat(store.status().attempt()).isZero();
        // classic: 24 min (20 % of 2 h) before expiry, up to 30 s jitter earlier
        assertThat(store.status().nextRefreshAt()).isBetween(expiresAt.minusSeconds(24 * 60 + 30), expiresAt.minusSeconds(24 * 60));
        // the previous classic token dies 5 min after the next fetch: that, less a margin, is all that is guaranteed
        assertThat(store.token().guaranteedUntil())
                .isEqualTo(store.status().nextRefreshAt().plus(PROPERTIES.classicGracePeriod()).minus(PROPERTIES.advertiseMargin()));
    }

    @Test
    void theHeldTokenAgainIsNotARefresh() {
        RefreshStatus status = ok(3, "wx1", NOW.plusSeconds(600), NOW.minusSeconds(1));
        Instant expiresAt = NOW.plusSeconds(600);

        RefreshDecider.AfterAnswer next = decider.afterAnswer(request(RefreshTrigger.SCHEDULED, null), status,
                entry(TokenMode.STABLE), held(3, "t-held"), "wx1", "t-held", expiresAt, NOW, 9, false);

        assertThat(next).isInstanceOf(RefreshDecider.KeepHeld.class);
        RefreshStatus resting = ((RefreshDecider.KeepHeld) next).status();
        assertThat(resting.sequence()).isEqualTo(3);
        assertThat(resting.obtainedAt()).isEqualTo(status.obtainedAt());
        assertThat(resting.lastTrigger()).isEqualTo(status.lastTrigger());
        assertThat(resting.expiresAt()).isEqualTo(expiresAt);
        // stable: next inside WeChat's rotation window (270 s before expiry, up to 30 s jitter later), never sooner
        // than one backoff from now
        assertThat(resting.nextRefreshAt()).isBetween(expiresAt.minusSeconds(270), expiresAt.minusSeconds(240));
    }

    @Test
    void theSameValueForAnotherAppidIsANewToken() {
        RefreshStatus status = ok(3, "wx-old", NOW.plusSeconds(600), NOW);

        assertThat(decider.afterAnswer(request(RefreshTrigger.SECRET_CHANGED, null), status, entry(TokenMode.STABLE),
                held(3, "t-held"), "wx1", "t-held", NOW.plusSeconds(7200), NOW, 9, false))
                .isInstanceOf(RefreshDecider.Store.class);
    }

    @Test
    void aStableReportThatGetsTheHeldTokenBackAsksForForceRefreshKeepingTheOperatorsShare() {
        RefreshStatus status = ok(3, "wx1", NOW.plusSeconds(7000), NOW.plusSeconds(6700));
        CatalogEntry stable = entry(TokenMode.STABLE);

        RefreshDecider.AfterAnswer reported = decider.afterAnswer(report("t-held"), status, stable, held(3, "t-held"),
                "wx1", "t-held", NOW.plusSeconds(7000), NOW, 9, false);
        RefreshDecider.AfterAnswer forced = decider.afterAnswer(request(RefreshTrigger.FORCED, null), status, stable,
                held(3, "t-held"), "wx1", "t-held", NOW.plusSeconds(7000), NOW, 9, false);
        RefreshDecider.AfterAnswer afterForce = decider.afterAnswer(report("t-held"), status, stable, held(3, "t-held"),
                "wx1", "t-held", NOW.plusSeconds(7000), NOW, 9, true);
        RefreshDecider.AfterAnswer classic = decider.afterAnswer(report("t-held"), status, entry(TokenMode.CLASSIC),
                held(3, "t-held"), "wx1", "t-held", NOW.plusSeconds(7000), NOW, 9, false);

        assertThat(reported).isInstanceOf(RefreshDecider.ForceRefresh.class);
        assertThat(((RefreshDecider.ForceRefresh) reported).operatorReserve()).isEqualTo(5);
        assertThat(((RefreshDecider.ForceRefresh) reported).ifRefused().sequence()).isEqualTo(3);
        assertThat(((RefreshDecider.ForceRefresh) forced).operatorReserve()).isZero();
        assertThat(afterForce).as("force_refresh is spent once per attempt").isInstanceOf(RefreshDecider.KeepHeld.class);
        assertThat(classic).isInstanceOf(RefreshDecider.KeepHeld.class);
    }

    // ---- a failure

    @Test
    void aRetryableFailureBacksOffAndKeepsTheToken() {
        RefreshStatus status = retrying(ok(3, "wx1", NOW.plusSeconds(600), NOW));
        UpstreamFailure busy = UpstreamFailure.classifyErrcode(-1, "system error");

        RefreshStatus next = decider.afterFailure(status, busy, RefreshTrigger.SCHEDULED, TokenMode.CLASSIC, NOW, null);

        assertThat(next.state()).isEqualTo(RefreshState.RETRYING);
        assertThat(next.attempt()).isEqualTo(2);
        // second attempt: 2 s with equal jitter, so 1 to 2 s
        assertThat(next.nextRefreshAt()).isBetween(NOW.plusSeconds(1), NOW.plusSeconds(2));
        assertThat(next.sequence()).isEqualTo(3);
        assertThat(next.expiresAt()).isEqualTo(status.expiresAt());
        assertThat(next.lastError().errcode()).isEqualTo(-1);
        assertThat(next.lastError().policy()).isEqualTo(ErrcodePolicy.RETRY);
        assertThat(next.lastError().at()).isEqualTo(NOW);
    }

    @Test
    void aLongBackoffNeverLetsAUsableTokenLapseUntriedButBacksOffAfterThatLastChance() {
        // the 9th failure in a row backs off 30 to 60 s; the held token stops being served 90 - 60 = 30 s from now
        RefreshStatus status = withAttempts(ok(3, "wx1", NOW.plusSeconds(90), NOW), 8);
        UpstreamFailure busy = UpstreamFailure.classifyErrcode(-1, "system error");

        RefreshStatus next = decider.afterFailure(status, busy, RefreshTrigger.RETRY, TokenMode.CLASSIC, NOW, null);
        Instant lastChance = NOW.plusSeconds(90).minus(PROPERTIES.minimumLifetime()).minus(PROPERTIES.retryInitialBackoff());
        RefreshStatus afterLastChance = decider.afterFailure(next, busy, RefreshTrigger.RETRY, TokenMode.CLASSIC, lastChance, null);
        RefreshStatus unknownMode = decider.afterFailure(status, busy, RefreshTrigger.RETRY, null, NOW, null);

        assertThat(next.nextRefreshAt()).isEqualTo(lastChance);
        assertThat(afterLastChance.nextRefreshAt()).as("no second early attempt: the backoff goes on")
                .isAfterOrEqualTo(lastChance.plusSeconds(30));
        assertThat(unknownMode.nextRefreshAt()).isAfterOrEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void theMinuteQuotaWaitsForTheNextMinute() {
        Instant at = Instant.parse("2026-03-01T08:00:20Z");
        RefreshStatus next = decider.afterFailure(RefreshStatus.none(), UpstreamFailure.classifyErrcode(45011, "api minute-quota"), RefreshTrigger.SCHEDULED, TokenMode.CLASSIC, at, null);

        assertThat(next.nextRefreshAt()).isBetween(Instant.parse("2026-03-01T08:01:00Z"), Instant.parse("2026-03-01T08:01:01Z"));
    }

    @Test
    void theDailyQuotaPausesUntilTheNextQuotaDayAndAStopWaitsForAnOperator() {
        RefreshStatus status = retrying(ok(3, "wx1", NOW.plusSeconds(600), NOW));
        Instant nextQuotaDay = Instant.parse("2026-03-01T16:00:00Z");

        RefreshStatus paused = decider.afterFailure(status, UpstreamFailure.classifyErrcode(45009, "reach max api daily quota limit"), RefreshTrigger.SCHEDULED, TokenMode.CLASSIC, NOW, nextQuotaDay);
        RefreshStatus stopped = decider.afterFailure(status, UpstreamFailure.classifyErrcode(40164,
                "invalid ip 203.0.113.9, not in whitelist"), RefreshTrigger.FORCED, TokenMode.CLASSIC, NOW, null);

        assertThat(paused.state()).isEqualTo(RefreshState.PAUSED);
        assertThat(paused.pausedUntil()).isEqualTo(nextQuotaDay);
        assertThat(paused.nextRefreshAt()).isEqualTo(nextQuotaDay);
        assertThat(paused.attempt()).isZero();
        assertThat(stopped.state()).isEqualTo(RefreshState.STOPPED);
        assertThat(stopped.nextRefreshAt()).isNull();
        assertThat(stopped.lastTrigger()).isEqualTo("forced");
        assertThat(stopped.lastError().ip()).isEqualTo("203.0.113.9");
        assertThat(stopped.sequence()).isEqualTo(3);
    }

    @Test
    void noCallWhenTheLeaseCannotCoverItAndTheWritesAfterIt() {
        Optional<UpstreamFailure> tooLate = RefreshDecider.leaseTooShort(Duration.ofMillis(900), Duration.ofMillis(1000));

        assertThat(tooLate).isPresent();
        assertThat(tooLate.get().policy()).isEqualTo(ErrcodePolicy.RETRY);
        assertThat(tooLate.get().message()).isEqualTo("not called: only 900 ms of the lock lease were left, 1000 ms needed");
        assertThat(RefreshDecider.leaseTooShort(Duration.ofMillis(1000), Duration.ofMillis(1000))).isEmpty();
    }

    @Test
    void theQuotaGuardNamesItsShareAndTheEndpointsLimit() {
        UpstreamFailure guard = decider.quotaGuard(TokenMode.CLASSIC, 2000);

        assertThat(guard.policy()).isEqualTo(ErrcodePolicy.QUOTA_GUARD);
        assertThat(guard.errcode()).isNull();
        assertThat(guard.message()).isEqualTo("automatic calls stopped at 80% of the daily limit of 2000 /cgi-bin/token calls");
    }

    // ---- helpers

    private Optional<RefreshOutcome.Result> skip(RefreshTrigger trigger, RefreshStatus status, CatalogEntry entry,
                                                 RefreshDecider.HeldToken held) {
        return skip(request(trigger, null), status, entry, held);
    }

    private Optional<RefreshOutcome.Result> skip(RefreshRequest request, RefreshStatus status, CatalogEntry entry,
                                                 RefreshDecider.HeldToken held) {
        return decider.reasonToSkip(request, status, entry, NOW, held).map(outcome -> {
            assertThat(outcome.status()).isSameAs(status);
            return outcome.result();
        });
    }

    private static RefreshRequest request(RefreshTrigger trigger, String rejected) {
        return new RefreshRequest(trigger, Duration.ZERO, NOW, rejected);
    }

    private static RefreshRequest report(String rejected) {
        return request(RefreshTrigger.REPORTED, rejected);
    }

    private static CatalogEntry entry(TokenMode mode) {
        return new CatalogEntry(1, new CredentialKey("t", "a", "prod"), UPSTREAM, "wechat:wx1:" + mode.name().toLowerCase(),
                "wx1", mode == TokenMode.WECOM ? "WECOM" : "WECHAT_MINIPROGRAM", mode, true);
    }

    private static RefreshDecider.HeldToken held(long sequence, String value) {
        return () -> Optional.of(new CurrentToken(UPSTREAM, sequence, "wx1", value, NOW.plusSeconds(7200),
                NOW.minusSeconds(200), null));
    }

    private static RefreshStatus ok(long sequence, String appid, Instant expiresAt, Instant nextRefreshAt) {
        return new RefreshStatus(RefreshState.OK, sequence, appid, expiresAt, NOW.minusSeconds(200), nextRefreshAt,
                "scheduled", null, null, "instance-b", 0, NOW.minusSeconds(200));
    }

    private static RefreshStatus withAttempts(RefreshStatus status, int attempts) {
        return new RefreshStatus(RefreshState.RETRYING, status.sequence(), status.appid(), status.expiresAt(),
                status.obtainedAt(), status.nextRefreshAt(), "retry", null, null, status.refreshedBy(), attempts, NOW);
    }

    private static RefreshStatus retrying(RefreshStatus status) {
        return new RefreshStatus(RefreshState.RETRYING, status.sequence(), status.appid(), status.expiresAt(),
                status.obtainedAt(), status.nextRefreshAt(), "scheduled",
                new LastError(-1, "system error", ErrcodePolicy.RETRY, null, NOW.minusSeconds(1)), null,
                status.refreshedBy(), 1, NOW.minusSeconds(1));
    }

    private static RefreshStatus stopped(RefreshStatus status) {
        return new RefreshStatus(RefreshState.STOPPED, status.sequence(), status.appid(), status.expiresAt(),
                status.obtainedAt(), null, "scheduled",
                new LastError(40125, "invalid appsecret", ErrcodePolicy.STOP, null, NOW.minusSeconds(1)), null,
                status.refreshedBy(), 0, NOW.minusSeconds(1));
    }

    private static RefreshStatus paused(Instant until) {
        return new RefreshStatus(RefreshState.PAUSED, 3, "wx1", NOW.plusSeconds(3600), NOW.minusSeconds(200), until,
                "scheduled", new LastError(45009, "daily quota", ErrcodePolicy.PAUSE, null, NOW.minusSeconds(1)), until,
                "instance-b", 0, NOW.minusSeconds(1));
    }
}
