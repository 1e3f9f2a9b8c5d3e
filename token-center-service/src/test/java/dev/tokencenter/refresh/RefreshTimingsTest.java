package dev.tokencenter.refresh;

import dev.tokencenter.registry.TokenMode;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When upstream is called, per mode (docs/refresh-engine.md, "When a credential is refreshed"), with the defaults. */
class RefreshTimingsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Instant TWO_HOURS = NOW.plusSeconds(7200);

    private final RefreshProperties properties = DefaultRefreshProperties.get();
    private final RefreshTimings timings = new RefreshTimings(properties);

    @RepeatedTest(20)
    void classicRefreshesAFifthOfTheLifetimeAheadUpToTheJitterEarlier() {
        Instant next = timings.nextRefresh(TokenMode.CLASSIC, NOW, TWO_HOURS);

        assertThat(next).isBetween(TWO_HOURS.minusSeconds(24 * 60 + 30), TWO_HOURS.minusSeconds(24 * 60));
    }

    @Test
    void classicLeadIsAtLeastTheMinimumLeadAndAtMostHalfTheLifetime() {
        // 30 min: 20 % would be 6 min, below the 10 min minimum lead
        assertThat(timings.nextRefresh(TokenMode.CLASSIC, NOW, NOW.plusSeconds(1800)))
                .isBetween(NOW.plusSeconds(1800 - 600 - 30), NOW.plusSeconds(1800 - 600));
        // 16 min: the 10 min minimum lead is capped at half the lifetime (8 min)
        assertThat(timings.nextRefresh(TokenMode.CLASSIC, NOW, NOW.plusSeconds(960)))
                .isBetween(NOW.plusSeconds(480 - 30), NOW.plusSeconds(480));
    }

    @RepeatedTest(20)
    void stableRefreshesInsideTheRotationWindowUpToTheJitterLater() {
        Instant next = timings.nextRefresh(TokenMode.STABLE, NOW, TWO_HOURS);

        assertThat(next).isBetween(TWO_HOURS.minusSeconds(270), TWO_HOURS.minusSeconds(240));
        assertThat(timings.newTokenObtainable(TokenMode.STABLE, next, TWO_HOURS)).isTrue();
    }

    @Test
    void wecomRefreshesJustAfterExpiry() {
        assertThat(timings.nextRefresh(TokenMode.WECOM, NOW, TWO_HOURS)).isEqualTo(TWO_HOURS.plusSeconds(1));
    }

    @Test
    void theNextRefreshIsNeverSoonerThanOneBackoffAfterTheToken() {
        // a token that lives 1 s: every planned time lies in the past
        assertThat(timings.nextRefresh(TokenMode.STABLE, NOW, NOW.plusSeconds(1))).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void aClassicTokenIsGuaranteedUntilTheGraceAfterTheNextFetchLessTheMargin() {
        Instant next = NOW.plusSeconds(5760);

        assertThat(timings.guaranteedUntil(TokenMode.CLASSIC, NOW, TWO_HOURS, next))
                .isEqualTo(next.plusSeconds(300).minusSeconds(30));
        assertThat(timings.guaranteedUntil(TokenMode.STABLE, NOW, TWO_HOURS, next)).isEqualTo(TWO_HOURS.minusSeconds(30));
        // WeCom: the margin never exceeds WeCom's minimum lifetime (2 s)
        assertThat(timings.guaranteedUntil(TokenMode.WECOM, NOW, TWO_HOURS, TWO_HOURS.plusSeconds(1)))
                .isEqualTo(TWO_HOURS.minusSeconds(2));
    }

    @Test
    void aNewTokenCanBeHadClassicAlwaysStableInItsWindowWecomAfterExpiry() {
        assertThat(timings.newTokenObtainable(TokenMode.CLASSIC, NOW, TWO_HOURS)).isTrue();
        assertThat(timings.newTokenObtainable(TokenMode.STABLE, NOW, NOW.plusSeconds(301))).isFalse();
        assertThat(timings.newTokenObtainable(TokenMode.STABLE, NOW, NOW.plusSeconds(300))).isTrue();
        assertThat(timings.newTokenObtainable(TokenMode.WECOM, NOW, NOW.plusMillis(1))).isFalse();
        assertThat(timings.newTokenObtainable(TokenMode.WECOM, NOW, NOW)).isTrue();
        assertThat(timings.newTokenObtainable(TokenMode.STABLE, NOW, null)).isTrue();
    }

    @RepeatedTest(10)
    void retriesBackOffExponentiallyWithEqualJitterUpToTheCap() {
        for (int attempt = 1; attempt <= 40; attempt++) {
            long full = Math.min(60_000, 1000L << Math.min(attempt - 1, 20));
            Duration backoff = timings.backoff(attempt);
            assertThat(backoff.toMillis()).as("attempt %d", attempt).isBetween(full / 2, full);
        }
    }

    @Test
    void theMinuteQuotaRetryWaitsForTheNextMinute() {
        Instant at = Instant.parse("2026-03-01T08:00:59.500Z");

        assertThat(timings.retryAt(at, 1, true)).isBetween(Instant.parse("2026-03-01T08:01:00Z"),
                Instant.parse("2026-03-01T08:01:01Z"));
        assertThat(timings.retryAt(at, 1, false)).isBetween(at.plusMillis(500), at.plusMillis(1000));
    }

    @Test
    void anAnswerWithTheHeldTokenWaitsAtLeastOneBackoff() {
        // stable, outside its rotation window: next inside the window, never sooner than one backoff
        Instant next = timings.afterSameToken(TokenMode.STABLE, NOW, NOW.plusSeconds(280), 1);

        assertThat(next).isBetween(NOW.plusMillis(500), NOW.plusSeconds(40));
        assertThat(timings.afterSameToken(TokenMode.STABLE, NOW, TWO_HOURS, 1))
                .isBetween(TWO_HOURS.minusSeconds(270), TWO_HOURS.minusSeconds(240));
    }
}
