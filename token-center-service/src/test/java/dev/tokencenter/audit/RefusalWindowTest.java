package dev.tokencenter.audit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which refusals of one window are recorded, and what the summary counts. */
class RefusalWindowTest {

    @Test
    void recordsAtMostPerSourceAndPerWindowAndCountsTheRest() {
        RefusalWindow window = new RefusalWindow(new RefusalAuditProperties(2, 5, Duration.ofMinutes(1), 3), 0);
        int recorded = 0;
        for (int i = 0; i < 4; i++) {
            recorded += window.admit("10.0.0.1", "forbidden") ? 1 : 0;
        }
        assertThat(recorded).isEqualTo(2);
        assertThat(window.admit("10.0.0.1", "csrf")).isTrue();
        assertThat(window.admit("10.0.0.2", "forbidden")).isTrue();
        assertThat(window.admit("10.0.0.3", "forbidden")).as("a fourth source is beyond maxSources").isFalse();
        assertThat(window.admit("10.0.0.2", "forbidden")).isTrue();
        assertThat(window.admit("10.0.0.1", "csrf")).as("the window's maxPerWindow of 5 is reached").isFalse();

        assertThat(window.suppressed()).isEqualTo(4);
        assertThat(window.suppressedByReason()).isEqualTo(Map.of("forbidden", 3L, "csrf", 1L));
    }

    @Test
    void usernamesAndPathsAreCutAndOnlyPrintable() {
        assertThat(RefusalAudit.sanitize("alice", 63, "anonymous")).isEqualTo("alice");
        assertThat(RefusalAudit.sanitize(null, 63, "anonymous")).isEqualTo("anonymous");
        assertThat(RefusalAudit.sanitize("a\nb c\u00e9", 63, "-")).isEqualTo("a?b?c?");
        assertThat(RefusalAudit.sanitize("x".repeat(100), 10, "-")).isEqualTo("xxxxxxxxx~");
    }
}
