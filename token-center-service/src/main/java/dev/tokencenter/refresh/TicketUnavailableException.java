package dev.tokencenter.refresh;

import java.time.Duration;

/** No usable JS-SDK ticket can be served now; {@code retryAfter} says when asking again makes sense (null: unknown). */
public class TicketUnavailableException extends RuntimeException {

    private final transient Duration retryAfter;

    public TicketUnavailableException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
