package dev.tokencenter.security;

import org.springframework.security.core.AuthenticationException;

/** A login attempt refused unchecked: its username or its client address had too many recent failures. */
final class LoginThrottledException extends AuthenticationException {

    private final long retryAfterSeconds;

    LoginThrottledException(long retryAfterSeconds) {
        super("too many failed logins");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
