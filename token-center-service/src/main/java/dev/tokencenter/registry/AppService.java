package dev.tokencenter.registry;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.Validator;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Apps of a tenant. Blocking (JPA): call from a bounded-elastic thread, never from an event loop. */
@Service
public class AppService {

    private final AppRepository apps;
    private final AppEnvironmentRepository environments;
    private final CredentialRepository credentials;
    private final SlugResolver lookup;
    private final GrantRevoker grants;
    private final TransactionalChanges changes;
    private final AuditLog audit;

    AppService(AppRepository apps, AppEnvironmentRepository environments, CredentialRepository credentials,
               SlugResolver lookup, GrantRevoker grants, TransactionalChanges changes, AuditLog audit) {
        this.apps = apps;
        this.environments = environments;
        this.credentials = credentials;
        this.lookup = lookup;
        this.grants = grants;
        this.changes = changes;
        this.audit = audit;
    }

    public AppView createApp(String actor, String tenant, String id, String name, Platform platform) {
        return createApp(actor, tenant, id, name, platform == null ? null : platform.name());
    }

    /** {@code platform} as text, so that a bad value is reported as a field error. */
    public AppView createApp(String actor, String tenant, String id, String name, String platform) {
        Validator validator = new Validator().slug("id", id).name("name", name);
        Platform parsed = CredentialRules.platform(validator, "platform", platform);
        validator.throwIfInvalid();
        return changes.run(events -> {
            lookup.tenant(tenant);
            if (apps.existsByTenantIdAndSlug(tenant, id)) {
                throw new ConflictException("app '" + id + "' already exists in tenant '" + tenant + "'");
            }
            App app = apps.saveAndFlush(new App(tenant, id, name.strip(), parsed, Instant.now()));
            audit.record(actor, "app.create", tenant, tenant + "/" + id, AuditOutcome.SUCCESS,
                    Map.of("name", app.name(), "platform", parsed.name()));
            return new AppView(tenant, app.slug(), app.name(), app.platform(), app.createdAt(), List.of());
        });
    }

    /** Gives the app a new name (its id and platform stay); the same name changes nothing. */
    public AppView renameApp(String actor, String tenant, String app, String name) {
        new Validator().name("name", name).throwIfInvalid();
        return changes.run(events -> {
            App found = lookup.app(tenant, app);
            String before = found.name();
            if (!before.equals(name.strip())) {
                found.rename(name.strip());
                apps.saveAndFlush(found);
                audit.record(actor, "app.rename", tenant, tenant + "/" + app, AuditOutcome.SUCCESS,
                        Map.of("from", before, "to", found.name()));
            }
            return views(tenant, List.of(found)).get(0);
        });
    }

    public List<AppView> listApps(String tenant) {
        return changes.read(() -> {
            lookup.tenant(tenant);
            List<App> found = apps.findByTenantIdOrderBySlugAsc(tenant);
            return views(tenant, found);
        });
    }

    public AppView getApp(String tenant, String app) {
        return changes.read(() -> views(tenant, List.of(lookup.app(tenant, app))).get(0));
    }

    /**
     * Deletes the app with its environments, credentials and token state, and removes client grants naming it.
     * Refused (409) while any of its environments is production and enabled.
     */
    public void deleteApp(String actor, String tenant, String app) {
        changes.run(events -> {
            App found = lookup.app(tenant, app);
            List<AppEnvironment> envs = new ArrayList<>();
            for (AppEnvironment env : environments.findByAppIdOrderByNameAsc(found.id())) {
                envs.add(lookup.lockedEnvironment(tenant, found, env.name()));
            }
            List<String> live = envs.stream().filter(e -> e.production() && e.enabled()).map(AppEnvironment::name).toList();
            if (!live.isEmpty()) {
                throw new ConflictException("app '" + tenant + "/" + app + "' has enabled production environments "
                        + live + ": disable them first (PUT with \"enabled\": false)");
            }
            for (AppEnvironment env : envs) {
                credentials.deleteById(env.id());
                environments.delete(env);
                events.add(new CredentialChangedEvent(env.id(), tenant, app, env.name(),
                        CredentialChangedEvent.Change.DELETED));
            }
            environments.flush();
            apps.delete(found);
            apps.flush();
            List<String> clients = grants.revokeApp(tenant, app, events);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("environments", envs.stream().map(AppEnvironment::name).toList());
            details.put("grants_removed_from_clients", clients);
            audit.record(actor, "app.delete", tenant, tenant + "/" + app, AuditOutcome.SUCCESS, details);
            return null;
        });
    }

    private List<AppView> views(String tenant, List<App> found) {
        if (found.isEmpty()) {
            return List.of();
        }
        List<AppEnvironment> envs = environments.findByAppIdIn(found.stream().map(App::id).toList());
        Map<Long, Credential> creds = credentials.findByEnvironmentIdIn(envs.stream().map(AppEnvironment::id).toList())
                .stream().collect(Collectors.toMap(Credential::environmentId, Function.identity()));
        Map<Long, List<AppEnvironment>> byApp = envs.stream().collect(Collectors.groupingBy(AppEnvironment::appId));
        return found.stream().map(app -> new AppView(tenant, app.slug(), app.name(), app.platform(), app.createdAt(),
                byApp.getOrDefault(app.id(), List.of()).stream()
                        .sorted(Comparator.comparing(AppEnvironment::name))
                        .map(env -> EnvironmentView.of(tenant, app, env, creds.get(env.id())))
                        .toList())).toList();
    }
}
