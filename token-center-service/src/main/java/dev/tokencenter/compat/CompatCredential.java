package dev.tokencenter.compat;

import dev.tokencenter.registry.CredentialKey;

/** A credential found by its AppID (WeCom: corp id), with the platform family that decides the endpoint. */
record CompatCredential(CredentialKey key, boolean wecom) {
}
