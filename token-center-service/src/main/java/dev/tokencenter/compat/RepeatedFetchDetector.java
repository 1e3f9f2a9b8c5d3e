package dev.tokencenter.compat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokencenter.crypto.Fingerprints;
import dev.tokencenter.registry.CredentialKey;
import org.springframework.stereotype.Component;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Remembers which token each caller last received from a compatible endpoint. SDKs fetch a token again only when
 * their cached copy ran out or when WeChat rejected it (WxJava, for one, retries a 40001 with a plain fetch, not
 * with {@code force_refresh}); a caller asking again while the token it already holds is still the current one is
 * therefore a likely, not a certain, report of a failing token. A caller is the client, the credential and the
 * remote address (processes sharing one client key on different hosts are different callers). Only a SHA-256
 * fingerprint of the token is kept.
 */
@Component
class RepeatedFetchDetector {

    private final Cache<Caller, String> lastHanded = Caffeine.newBuilder()
            .executor(Runnable::run) // upkeep on the reading thread: short, and no hand-off to another pool per read
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(3))
            .build();

    boolean alreadyHolds(Caller caller, String token) {
        return Fingerprints.of(token).equals(lastHanded.getIfPresent(caller));
    }

    void handed(Caller caller, String token) {
        String fingerprint = Fingerprints.of(token);
        // handing the same token again changes nothing worth a write: the entry outlives the token either way
        if (!fingerprint.equals(lastHanded.getIfPresent(caller))) {
            lastHanded.put(caller, fingerprint);
        }
    }

    record Caller(String clientId, CredentialKey credential, String remoteHost) {

        // written out: the generated ones go through method handles, slower on the compatible read path
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Caller caller && Objects.equals(clientId, caller.clientId)
                    && Objects.equals(credential, caller.credential) && Objects.equals(remoteHost, caller.remoteHost);
        }

        @Override
        public int hashCode() {
            return (Objects.hashCode(clientId) * 31 + Objects.hashCode(credential)) * 31 + Objects.hashCode(remoteHost);
        }

        static Caller of(String clientId, CredentialKey credential, InetSocketAddress remote) {
            String host = remote == null ? ""
                    : remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
            return new Caller(clientId, credential, host);
        }
    }
}
