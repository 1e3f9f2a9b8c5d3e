package dev.tokencenter.client;

import java.time.Duration;

/**
 * A key naming a client id this instance does not know as active arrived while such lookups were over their limit: the
 * key was not checked, PostgreSQL was not asked. A 503 with {@code Retry-After}, not a 401: a client created a moment
 * ago on another instance may be behind it.
 */
public class ClientLookupThrottledException extends ClientDirectoryUnavailableException {

    private final Duration retryAfter;

    public ClientLookupThrottledException(Duration retryAfter) {
        super(null);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds until a lookup may be allowed again, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
