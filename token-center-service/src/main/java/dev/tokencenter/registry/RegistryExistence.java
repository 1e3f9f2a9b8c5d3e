package dev.tokencenter.registry;

import org.springframework.stereotype.Component;

/** Existence checks for other features (API client grants); joins the caller's transaction when there is one. */
@Component
public class RegistryExistence {

    private final TenantRepository tenants;
    private final AppRepository apps;
    private final AppEnvironmentRepository environments;

    RegistryExistence(TenantRepository tenants, AppRepository apps, AppEnvironmentRepository environments) {
        this.tenants = tenants;
        this.apps = apps;
        this.environments = environments;
    }

    public boolean tenantExists(String tenant) {
        return tenants.existsById(tenant);
    }

    public boolean appExists(String tenant, String app) {
        return apps.existsByTenantIdAndSlug(tenant, app);
    }

    public boolean environmentExists(String tenant, String app, String env) {
        return apps.findByTenantIdAndSlug(tenant, app)
                .flatMap(found -> environments.findByAppIdAndName(found.id(), env))
                .isPresent();
    }
}
