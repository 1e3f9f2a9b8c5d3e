package dev.tokencenter.config;

import java.time.Duration;

/** A dependency accepted no connection for as long as the instance was allowed to wait for it at start-up. */
public class DependencyUnreachableException extends RuntimeException {

    private final String dependency;
    private final String addresses;

    DependencyUnreachableException(String dependency, String addresses, Duration waited, String lastFailure) {
        super(dependency + " at " + addresses + " accepted no connection for " + waited + " (last: " + lastFailure + ")");
        this.dependency = dependency;
        this.addresses = addresses;
    }

    public String dependency() {
        return dependency;
    }

    public String addresses() {
        return addresses;
    }
}
