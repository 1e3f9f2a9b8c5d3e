package dev.tokencenter.registry;

/** Config-style address of one credential: tenant / app / environment slugs. */
public record CredentialKey(String tenant, String app, String env) {

    @Override
    public String toString() {
        return tenant + "/" + app + "/" + env;
    }
}
