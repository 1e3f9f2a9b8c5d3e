package dev.tokencenter.token;

import java.time.Duration;

/** No token can be served now; {@code retryAfter} tells the client when to try again. */
public class TokenUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public TokenUnavailableException(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
