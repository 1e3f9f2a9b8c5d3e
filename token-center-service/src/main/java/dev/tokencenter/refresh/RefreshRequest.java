package dev.tokencenter.refresh;

import java.time.Duration;
import java.time.Instant;

/** One request to refresh a credential. {@link #toString()} never shows the reported token. */
record RefreshRequest(RefreshTrigger trigger, Duration lockWait, Instant requestedAt, String rejectedToken) {

    @Override
    public String toString() {
        return "RefreshRequest[" + trigger.label() + ", requestedAt=" + requestedAt + "]";
    }
}
