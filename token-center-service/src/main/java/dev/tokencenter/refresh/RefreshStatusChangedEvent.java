package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;

import java.time.Instant;
import java.util.List;

/**
 * Published (as a Spring application event, on the instance that wrote it) for every status of an upstream credential
 * this instance stores: {@code REFRESHING} when a refresh starts, then the state it settles in. Never holds a token or
 * a secret.
 *
 * @param upstreamId   the upstream credential
 * @param environments the environments that share it (their tokens all changed)
 * @param status       the status as written
 */
public record RefreshStatusChangedEvent(long upstreamId, List<Environment> environments, RefreshStatus status) {

    /** One environment of the upstream credential. */
    public record Environment(long environmentId, CredentialKey key) {
    }
}
