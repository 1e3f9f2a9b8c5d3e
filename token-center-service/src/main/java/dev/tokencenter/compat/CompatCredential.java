package dev.tokencenter.compat;

import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.registry.CredentialKey;

import java.util.List;
import java.util.Optional;

/** A credential found by its AppID (WeCom: corp id), with the platform family that decides the endpoint. */
record CompatCredential(CredentialKey key, boolean wecom) {

    /** The first of {@code found} of the endpoint's platform family whose token the client may read. */
    static Optional<CompatCredential> grantedTo(List<CompatCredential> found, ClientPrincipal client, boolean wecom) {
        for (CompatCredential credential : found) {
            if (credential.wecom() == wecom
                    && client.mayRead(credential.key().tenant(), credential.key().app(), credential.key().env())) {
                return Optional.of(credential);
            }
        }
        return Optional.empty();
    }
}
