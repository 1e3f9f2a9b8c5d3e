package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.TokenMode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DueIndexTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CatalogEntry ENTRY = new CatalogEntry(1, new CredentialKey("t", "a", "prod"), 7,
            "wechat:wx1:stable", "wx1", "WECHAT_MINIPROGRAM", TokenMode.STABLE, true);

    private final DueIndex index = new DueIndex(null);

    @Test
    void dueTimeAgreesWithTheEnginesIsDue() {
        List<RefreshStatus> statuses = List.of(
                RefreshStatus.none(),
                status(RefreshState.OK, "wx1", NOW.plusSeconds(10), null),
                status(RefreshState.OK, "wx1", NOW.minusSeconds(1), null),
                status(RefreshState.OK, "wx-other", NOW.plusSeconds(10), null),
                status(RefreshState.RETRYING, "wx1", NOW.plusMillis(300), null),
                status(RefreshState.PAUSED, "wx1", NOW.plusSeconds(60), NOW.plusSeconds(60)),
                status(RefreshState.PAUSED, "wx1", NOW.minusSeconds(60), NOW.minusSeconds(60)),
                status(RefreshState.STOPPED, "wx1", null, null));
        for (RefreshStatus status : statuses) {
            for (Instant at : List.of(NOW.minusSeconds(120), NOW, NOW.plusSeconds(5), NOW.plusSeconds(30), NOW.plusSeconds(120))) {
                boolean dueByIndex = DueIndex.dueAt(status, ENTRY).map(due -> !due.isAfter(at)).orElse(false);
                assertThat(dueByIndex).as("%s at %s", status, at).isEqualTo(RefreshEngine.isDue(status, ENTRY, at));
            }
        }
    }

    @Test
    void takesOnlyWhatIsDueEarliestFirstAndAtMostTheRoomGiven() {
        index.schedule(1, NOW.plusSeconds(3));
        index.schedule(2, NOW.minusSeconds(1));
        index.schedule(3, NOW.minusSeconds(5));
        index.schedule(4, NOW);
        index.schedule(2, NOW.minusSeconds(2)); // a newer status replaces the entry

        assertThat(index.takeDue(NOW, 2)).containsExactly(3L, 2L);
        assertThat(index.takeDue(NOW, 10)).containsExactly(4L);
        assertThat(index.takeDue(NOW, 10)).isEmpty();
        assertThat(index.nextDue()).contains(NOW.plusSeconds(3));
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aTakenCredentialMovedOnByANewerStatusIsNoLongerDueButOneTakenOrStillDueIs() {
        index.schedule(1, NOW.minusSeconds(1));
        index.schedule(2, NOW.minusSeconds(1));
        index.schedule(3, NOW.minusSeconds(1));
        assertThat(index.takeDue(NOW, 10)).containsExactlyInAnyOrder(1L, 2L, 3L);

        index.schedule(1, NOW.plusSeconds(300)); // another instance refreshed it meanwhile
        index.schedule(3, NOW);                  // a resync found it still due

        assertThat(index.scheduledAfter(1, NOW)).isTrue();
        assertThat(index.scheduledAfter(2, NOW)).isFalse();
        assertThat(index.scheduledAfter(3, NOW)).isFalse();
        assertThat(index.scheduledAfter(1, NOW.plusSeconds(300))).isFalse();
    }

    @Test
    void aRetryDoesNotOverrideANewerScheduleAndRetainDropsWhatIsGone() {
        index.schedule(1, NOW.plusSeconds(100));
        index.scheduleIfAbsent(1, NOW.plusSeconds(1));
        index.scheduleIfAbsent(2, NOW.plusSeconds(1));
        assertThat(index.takeDue(NOW.plusSeconds(2), 10)).containsExactly(2L);

        index.schedule(3, NOW);
        index.retainOnly(Set.of(3L));
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.takeDue(NOW.plusSeconds(1000), 10)).containsExactly(3L);
    }

    @Test
    void tellsTheSchedulerWhenTheEarliestDueTimeMovesEarlier() {
        List<Instant> wakeUps = new ArrayList<>();
        index.onEarlierHead(wakeUps::add);
        index.schedule(1, NOW.plusSeconds(10));
        index.schedule(2, NOW.plusSeconds(20));
        index.schedule(3, NOW.plusSeconds(5));
        assertThat(wakeUps).containsExactly(NOW.plusSeconds(10), NOW.plusSeconds(5));
    }

    private static RefreshStatus status(RefreshState state, String appid, Instant next, Instant pausedUntil) {
        return new RefreshStatus(state, 3, appid, NOW.plusSeconds(100), NOW.minusSeconds(100), next, "scheduled", null,
                pausedUntil, "node", 0, NOW);
    }
}
