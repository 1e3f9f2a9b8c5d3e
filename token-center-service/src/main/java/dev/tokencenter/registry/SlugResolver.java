package dev.tokencenter.registry;

import dev.tokencenter.web.NotFoundException;
import org.springframework.stereotype.Component;

/** Finds registry rows by their slugs or answers 404 naming what is missing. Call inside a transaction. */
@Component
class SlugResolver {

    private final TenantRepository tenants;
    private final AppRepository apps;
    private final AppEnvironmentRepository environments;

    SlugResolver(TenantRepository tenants, AppRepository apps, AppEnvironmentRepository environments) {
        this.tenants = tenants;
        this.apps = apps;
        this.environments = environments;
    }

    Tenant tenant(String tenant) {
        return tenants.findById(tenant).orElseThrow(() -> new NotFoundException("no tenant '" + tenant + "'"));
    }

    App app(String tenant, String app) {
        return apps.findByTenantIdAndSlug(tenant, app).orElseThrow(() -> {
            tenant(tenant);
            return new NotFoundException("no app '" + app + "' in tenant '" + tenant + "'");
        });
    }

    AppEnvironment environment(String tenant, App app, String env) {
        return environments.findByAppIdAndName(app.id(), env).orElseThrow(() -> missingEnvironment(tenant, app, env));
    }

    AppEnvironment lockedEnvironment(String tenant, App app, String env) {
        return environments.lockByAppIdAndName(app.id(), env).orElseThrow(() -> missingEnvironment(tenant, app, env));
    }

    private static NotFoundException missingEnvironment(String tenant, App app, String env) {
        return new NotFoundException("no environment '" + env + "' in app '" + tenant + "/" + app.slug() + "'");
    }
}
