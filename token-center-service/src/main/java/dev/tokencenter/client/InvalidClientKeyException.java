package dev.tokencenter.client;

import org.springframework.security.core.AuthenticationException;

/** A presented key that is malformed, unknown, revoked or wrong. Carries no stack trace: it is routine. */
public class InvalidClientKeyException extends AuthenticationException {

    public InvalidClientKeyException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
