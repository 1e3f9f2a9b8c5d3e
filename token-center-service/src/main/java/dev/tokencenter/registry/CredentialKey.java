package dev.tokencenter.registry;

import java.util.Objects;

/** Config-style address of one credential: tenant / app / environment slugs. */
public record CredentialKey(String tenant, String app, String env) {

    // written out: the generated ones go through method handles, slower on the read path where this is a map key
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof CredentialKey key
                && Objects.equals(tenant, key.tenant) && Objects.equals(app, key.app) && Objects.equals(env, key.env);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(tenant) * 31 + Objects.hashCode(app)) * 31 + Objects.hashCode(env);
    }

    @Override
    public String toString() {
        return tenant + "/" + app + "/" + env;
    }
}
