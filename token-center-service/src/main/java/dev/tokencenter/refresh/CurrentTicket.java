package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * A decrypted JS-SDK ticket held in memory. {@code renewableAt}: from then on a ticket call is worth making, the
 * refresh-ahead margin before expiry for a new ticket, its expiry when WeChat answered the held ticket again (it hands
 * out the same ticket until that one expires). {@link #toString()} never shows the value.
 */
public record CurrentTicket(long upstreamId, TicketEndpoint kind, long fence, String ticket, Instant expiresAt,
                            Instant obtainedAt, Instant renewableAt) {

    /** Whether it still has more than {@code margin} left at {@code now}. */
    public boolean usableAt(Instant now, Duration margin) {
        return expiresAt.minus(margin).isAfter(now);
    }

    @Override
    public String toString() {
        return "CurrentTicket[upstream=" + upstreamId + ", kind=" + kind.label() + ", fence=" + fence
                + ", expiresAt=" + expiresAt + "]";
    }
}
