package dev.tokencenter.registry;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.registry.CredentialChangedEvent.Change;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.NotFoundException;
import dev.tokencenter.web.Validator;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Environments of an app and their credentials. Every change runs in one transaction with its audit event and
 * publishes a {@link CredentialChangedEvent} after the commit. Blocking (JPA): call from a bounded-elastic thread.
 */
@Service
public class EnvironmentService {

    private final AppEnvironmentRepository environments;
    private final CredentialRepository credentials;
    private final SlugResolver lookup;
    private final SecretCipher sealer;
    private final GrantRevoker grants;
    private final TransactionalChanges changes;
    private final AuditLog audit;
    private final SharedSecrets sharedSecrets;

    EnvironmentService(AppEnvironmentRepository environments, CredentialRepository credentials, SlugResolver lookup,
                       SecretCipher sealer, GrantRevoker grants, TransactionalChanges changes, AuditLog audit,
                       SharedSecrets sharedSecrets) {
        this.environments = environments;
        this.credentials = credentials;
        this.lookup = lookup;
        this.sealer = sealer;
        this.grants = grants;
        this.changes = changes;
        this.audit = audit;
        this.sharedSecrets = sharedSecrets;
    }

    /** Creates or updates the environment; an identical PUT changes nothing (no version, no audit event, no event). */
    public EnvironmentPutResult putEnvironment(String actor, String tenant, String app, String env, EnvironmentSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return changes.run(events -> {
            App found = lookup.app(tenant, app);
            var existing = environments.lockByAppIdAndName(found.id(), env);
            return existing.isEmpty()
                    ? create(actor, tenant, found, env, spec, events)
                    : update(actor, tenant, found, existing.get(), spec, events);
        });
    }

    public EnvironmentView rotateSecret(String actor, String tenant, String app, String env, String secret) {
        Validator validator = new Validator();
        CredentialRules.secret(validator, "secret", secret);
        validator.throwIfInvalid();
        return changes.run(events -> {
            App found = lookup.app(tenant, app);
            AppEnvironment environment = lookup.lockedEnvironment(tenant, found, env);
            Credential credential = credential(environment);
            Instant now = Instant.now();
            credential.change(credential.appid(), credential.agentId(), sealer.seal(environment.id(), secret), now);
            environment.update(environment.production(), environment.enabled(), environment.tokenMode(), now);
            List<String> sharedWith = sharedSecrets.rotateSharers(tenant, found.platform(), environment, credential,
                    secret, now, events);
            credentials.flush();
            audit.record(actor, "env.secret.rotate", tenant, target(tenant, app, env), AuditOutcome.SUCCESS,
                    Map.of("credential_version", credential.version(), "shared_with", sharedWith));
            events.add(new CredentialChangedEvent(environment.id(), tenant, app, env, Change.SECRET_ROTATED));
            return EnvironmentView.of(tenant, found, environment, credential);
        });
    }

    /** Deletes the environment, its credential and token state; refused (409) while it is production and enabled. */
    public void deleteEnvironment(String actor, String tenant, String app, String env) {
        changes.run(events -> {
            App found = lookup.app(tenant, app);
            AppEnvironment environment = lookup.lockedEnvironment(tenant, found, env);
            if (environment.production() && environment.enabled()) {
                throw new ConflictException("environment '" + target(tenant, app, env)
                        + "' is production and enabled: disable it first (PUT with \"enabled\": false)");
            }
            credentials.deleteById(environment.id());
            environments.delete(environment);
            environments.flush();
            List<String> clients = grants.revokeEnvironment(tenant, app, env, events);
            audit.record(actor, "env.delete", tenant, target(tenant, app, env), AuditOutcome.SUCCESS,
                    Map.of("grants_removed_from_clients", clients));
            events.add(new CredentialChangedEvent(environment.id(), tenant, app, env, Change.DELETED));
            return null;
        });
    }

    public List<EnvironmentView> listEnvironments(String tenant, String app) {
        return changes.read(() -> {
            App found = lookup.app(tenant, app);
            return environments.findByAppIdOrderByNameAsc(found.id()).stream()
                    .map(env -> EnvironmentView.of(tenant, found, env, credential(env)))
                    .toList();
        });
    }

    public EnvironmentView getEnvironment(String tenant, String app, String env) {
        return changes.read(() -> {
            App found = lookup.app(tenant, app);
            AppEnvironment environment = lookup.environment(tenant, found, env);
            return EnvironmentView.of(tenant, found, environment, credential(environment));
        });
    }

    private EnvironmentPutResult create(String actor, String tenant, App app, String env, EnvironmentSpec spec,
                                        List<Object> events) {
        Platform platform = app.platform();
        Validator validator = new Validator().slug("env", env);
        if (spec.appid() == null || spec.appid().isEmpty()) {
            validator.reject("appid", "is required");
        } else {
            CredentialRules.appid(validator, platform, spec.appid());
        }
        CredentialRules.secret(validator, "secret", spec.secret());
        TokenMode mode = CredentialRules.tokenMode(validator, platform, spec.tokenMode(), TokenMode.STABLE);
        CredentialRules.agentId(validator, platform, spec.agentId());
        validator.throwIfInvalid();
        String agentId = spec.agentId() == null || spec.agentId().isEmpty() ? null : spec.agentId();
        sharedSecrets.requireSameSecret(tenant, -1, spec.appid(),
                UpstreamKey.of(platform.name(), mode.name(), spec.appid(), agentId, -1), spec.secret());

        Instant now = Instant.now();
        boolean production = Boolean.TRUE.equals(spec.production());
        boolean enabled = spec.enabled() == null || spec.enabled();
        AppEnvironment environment = environments.saveAndFlush(
                new AppEnvironment(app.id(), env, production, enabled, mode, now));
        Credential credential = credentials.saveAndFlush(new Credential(environment.id(), spec.appid(), agentId,
                sealer.seal(environment.id(), spec.secret()), now));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("appid", credential.appid());
        details.put("production", production);
        details.put("enabled", enabled);
        details.put("credential_version", credential.version());
        audit.record(actor, "env.create", tenant, target(tenant, app.slug(), env), AuditOutcome.SUCCESS, details);
        events.add(new CredentialChangedEvent(environment.id(), tenant, app.slug(), env, Change.CREATED));
        return new EnvironmentPutResult(EnvironmentView.of(tenant, app, environment, credential), true, true);
    }

    private EnvironmentPutResult update(String actor, String tenant, App app, AppEnvironment environment,
                                        EnvironmentSpec spec, List<Object> events) {
        Platform platform = app.platform();
        Credential credential = credential(environment);
        Validator validator = new Validator();
        String appid = spec.appid() == null ? credential.appid() : spec.appid();
        if (spec.appid() != null) {
            CredentialRules.appid(validator, platform, spec.appid());
        }
        if (spec.secret() != null) {
            CredentialRules.secret(validator, "secret", spec.secret());
        } else if (!appid.equals(credential.appid())) {
            validator.reject("secret", "is required when appid changes");
        }
        TokenMode mode = CredentialRules.tokenMode(validator, platform, spec.tokenMode(), environment.tokenMode());
        CredentialRules.agentId(validator, platform, spec.agentId());
        validator.throwIfInvalid();

        String agentId = spec.agentId() == null ? credential.agentId() : (spec.agentId().isEmpty() ? null : spec.agentId());
        boolean production = spec.production() == null ? environment.production() : spec.production();
        boolean enabled = spec.enabled() == null ? environment.enabled() : spec.enabled();
        boolean secretChanged = spec.secret() != null && !sharedSecrets.isStoredSecret(environment, credential, spec.secret());

        List<String> changed = new ArrayList<>();
        if (!appid.equals(credential.appid())) {
            changed.add("appid");
        }
        if (!Objects.equals(agentId, credential.agentId())) {
            changed.add("agent_id");
        }
        if (secretChanged) {
            changed.add("secret");
        }
        if (production != environment.production()) {
            changed.add("production");
        }
        if (enabled != environment.enabled()) {
            changed.add("enabled");
        }
        if (mode != environment.tokenMode()) {
            changed.add("token_mode");
        }
        String env = environment.name();
        if (changed.isEmpty()) {
            return new EnvironmentPutResult(EnvironmentView.of(tenant, app, environment, credential), false, false);
        }

        String keyBefore = UpstreamKey.of(platform.name(), environment.tokenMode().name(), credential.appid(),
                credential.agentId(), environment.id());
        String key = UpstreamKey.of(platform.name(), mode.name(), appid, agentId, environment.id());
        if (!key.equals(keyBefore)) {
            String secret = spec.secret() != null ? spec.secret() : sharedSecrets.readable(environment, credential);
            sharedSecrets.requireSameSecret(tenant, environment.id(), appid, key, secret);
        }
        Instant now = Instant.now();
        boolean enabledBefore = environment.enabled();
        environment.update(production, enabled, mode, now);
        if (changed.contains("appid") || changed.contains("agent_id") || secretChanged) {
            credential.change(appid, agentId, secretChanged ? sealer.seal(environment.id(), spec.secret()) : null, now);
        }
        List<String> sharedWith = key.equals(keyBefore) && secretChanged
                ? sharedSecrets.rotateSharers(tenant, platform, environment, credential, spec.secret(), now, events) : List.of();
        environments.flush();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("changed", changed);
        details.put("credential_version", credential.version());
        if (!sharedWith.isEmpty()) {
            details.put("shared_with", sharedWith);
        }
        audit.record(actor, "env.update", tenant, target(tenant, app.slug(), env), AuditOutcome.SUCCESS, details);
        events.add(new CredentialChangedEvent(environment.id(), tenant, app.slug(), env,
                change(enabledBefore, enabled, secretChanged)));
        return new EnvironmentPutResult(EnvironmentView.of(tenant, app, environment, credential), false, true);
    }

    /** One event per change; enabling or disabling matters most to the refresh engine, then a new secret. */
    private static Change change(boolean enabledBefore, boolean enabled, boolean secretChanged) {
        if (enabledBefore && !enabled) {
            return Change.DISABLED;
        }
        if (!enabledBefore && enabled) {
            return Change.ENABLED;
        }
        return secretChanged ? Change.SECRET_ROTATED : Change.UPDATED;
    }

    private Credential credential(AppEnvironment environment) {
        return credentials.findById(environment.id()).orElseThrow(() ->
                new NotFoundException("environment " + environment.id() + " has no credential"));
    }

    private static String target(String tenant, String app, String env) {
        return tenant + "/" + app + "/" + env;
    }
}
