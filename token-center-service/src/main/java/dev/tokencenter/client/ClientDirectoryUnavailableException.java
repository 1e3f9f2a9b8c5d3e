package dev.tokencenter.client;

import org.springframework.security.authentication.AuthenticationServiceException;

/** The client store could not be read (e.g. PostgreSQL unreachable on a cache miss): a 503, not a 401. */
public class ClientDirectoryUnavailableException extends AuthenticationServiceException {

    public ClientDirectoryUnavailableException(Throwable cause) {
        super("API clients cannot be read right now", cause);
    }
}
