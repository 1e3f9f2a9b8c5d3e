package dev.tokencenter.client;

import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;
import java.util.Optional;

/** Known clients stay {@code expireAfter}; unknown ids (empty) only {@code unknownTtl}, and a refresh does not extend them. */
final class ClientEntryExpiry implements Expiry<String, Optional<ClientPrincipal>> {

    private final long knownNanos;
    private final long unknownNanos;

    ClientEntryExpiry(Duration expireAfter, Duration unknownTtl) {
        this.knownNanos = expireAfter.toNanos();
        this.unknownNanos = Math.min(unknownTtl.toNanos(), knownNanos);
    }

    @Override
    public long expireAfterCreate(String clientId, Optional<ClientPrincipal> client, long now) {
        return client.isPresent() ? knownNanos : unknownNanos;
    }

    @Override
    public long expireAfterUpdate(String clientId, Optional<ClientPrincipal> client, long now, long remaining) {
        return client.isPresent() ? knownNanos : Math.min(remaining, unknownNanos);
    }

    @Override
    public long expireAfterRead(String clientId, Optional<ClientPrincipal> client, long now, long remaining) {
        return remaining;
    }
}
