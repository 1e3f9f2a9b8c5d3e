package dev.tokencenter.client;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.registry.RegistryExistence;
import dev.tokencenter.registry.TransactionalChanges;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.NotFoundException;
import dev.tokencenter.web.Validator;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API clients of a tenant: created with grants and a key shown once, listed without keys, revoked at once.
 * Publishes {@link ApiClientChangedEvent} after commit. Blocking (JPA): call from a bounded-elastic thread.
 */
@Service
public class ApiClientService {

    private final ApiClientRepository clients;
    private final RegistryExistence registry;
    private final TransactionalChanges changes;
    private final AuditLog audit;

    ApiClientService(ApiClientRepository clients, RegistryExistence registry, TransactionalChanges changes, AuditLog audit) {
        this.clients = clients;
        this.registry = registry;
        this.changes = changes;
        this.audit = audit;
    }

    public CreatedClient createClient(String actor, String tenant, String name, List<ClientGrant> grants) {
        Validator validator = new Validator().name("name", name);
        checkGrants(validator, grants);
        validator.throwIfInvalid();
        return changes.run(events -> {
            if (!registry.tenantExists(tenant)) {
                throw new NotFoundException("no tenant '" + tenant + "'");
            }
            checkGrantsExist(tenant, grants);

            String clientId = ClientKeys.newClientId();
            String key = ClientKeys.newKey(clientId);
            Set<GrantEntry> entries = new LinkedHashSet<>();
            grants.forEach(grant -> entries.add(new GrantEntry(grant.app(), grant.env(), GrantRights.of(grant))));
            ApiClient client = clients.saveAndFlush(new ApiClient(clientId, tenant, name.strip(), ClientKeys.hash(key),
                    entries, Instant.now()));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", client.name());
            details.put("grants", view(client).grants());
            audit.record(actor, "client.create", tenant, tenant + "/" + clientId, AuditOutcome.SUCCESS, details);
            events.add(new ApiClientChangedEvent(clientId, tenant, false));
            return new CreatedClient(clientId, key);
        });
    }

    public List<ApiClientView> listClients(String tenant) {
        return changes.read(() -> {
            if (!registry.tenantExists(tenant)) {
                throw new NotFoundException("no tenant '" + tenant + "'");
            }
            return clients.findByTenantIdOrderByCreatedAtAscIdAsc(tenant).stream().map(ApiClientService::view).toList();
        });
    }

    /** Revokes the client at once; revoking a revoked client changes nothing. */
    public ApiClientView revokeClient(String actor, String tenant, String clientId) {
        return changes.run(events -> {
            ApiClient client = clients.findByIdAndTenantId(clientId, tenant).orElseThrow(() -> {
                if (!registry.tenantExists(tenant)) {
                    return new NotFoundException("no tenant '" + tenant + "'");
                }
                return new NotFoundException("no client '" + clientId + "' in tenant '" + tenant + "'");
            });
            if (client.revokedAt() == null) {
                client.revoke(Instant.now());
                clients.flush();
                audit.record(actor, "client.revoke", tenant, tenant + "/" + clientId, AuditOutcome.SUCCESS,
                        Map.of("name", client.name()));
                events.add(new ApiClientChangedEvent(clientId, tenant, true));
            }
            return view(client);
        });
    }

    /**
     * Replaces the client's grants (and their rights) at once: every instance forgets the client it cached
     * ({@link ApiClientChangedEvent}). A revoked client cannot be changed (409); the same grants change nothing.
     */
    public ApiClientView replaceGrants(String actor, String tenant, String clientId, List<ClientGrant> grants) {
        Validator validator = new Validator();
        checkGrants(validator, grants);
        validator.throwIfInvalid();
        return changes.run(events -> {
            ApiClient client = clients.findByIdAndTenantId(clientId, tenant).orElseThrow(() -> {
                if (!registry.tenantExists(tenant)) {
                    return new NotFoundException("no tenant '" + tenant + "'");
                }
                return new NotFoundException("no client '" + clientId + "' in tenant '" + tenant + "'");
            });
            if (client.revokedAt() != null) {
                throw new ConflictException("client '" + clientId + "' is revoked");
            }
            checkGrantsExist(tenant, grants);
            Set<GrantEntry> entries = new LinkedHashSet<>();
            grants.forEach(grant -> entries.add(new GrantEntry(grant.app(), grant.env(), GrantRights.of(grant))));
            List<ClientGrant> before = view(client).grants();
            if (sorted(entries).equals(before)) {
                return view(client);
            }
            client.replaceGrants(entries);
            clients.saveAndFlush(client);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", client.name());
            details.put("before", before);
            details.put("grants", view(client).grants());
            audit.record(actor, "client.grants", tenant, tenant + "/" + clientId, AuditOutcome.SUCCESS, details);
            events.add(new ApiClientChangedEvent(clientId, tenant, false));
            return view(client);
        });
    }

    private static void checkGrants(Validator validator, List<ClientGrant> grants) {
        if (grants == null || grants.isEmpty()) {
            validator.reject("grants", "must name at least one app and environment");
            return;
        }
        for (int i = 0; i < grants.size(); i++) {
            ClientGrant grant = grants.get(i);
            if (grant == null) {
                validator.reject("grants[" + i + "]", "is required");
                continue;
            }
            wildcardOrSlug(validator, "grants[" + i + "].app", grant.app());
            wildcardOrSlug(validator, "grants[" + i + "].env", grant.env());
            GrantRights.check(validator, "grants[" + i + "].rights", grant.rights());
        }
        GrantRights.rejectRepeatedPairs(validator, grants);
    }

    private void checkGrantsExist(String tenant, List<ClientGrant> grants) {
        if (!registry.tenantExists(tenant)) {
            throw new NotFoundException("no tenant '" + tenant + "'");
        }
        Validator existence = new Validator();
        for (int i = 0; i < grants.size(); i++) {
            ClientGrant grant = grants.get(i);
            if (grant.app().equals(ClientGrant.ANY)) {
                continue;
            }
            if (!registry.appExists(tenant, grant.app())) {
                existence.reject("grants[" + i + "].app", "names no app of tenant '" + tenant + "'");
            } else if (!grant.env().equals(ClientGrant.ANY)
                    && !registry.environmentExists(tenant, grant.app(), grant.env())) {
                existence.reject("grants[" + i + "].env", "names no environment of app '" + grant.app() + "'");
            }
        }
        existence.throwIfInvalid();
    }

    private static void wildcardOrSlug(Validator validator, String field, String value) {
        if (!ClientGrant.ANY.equals(value)) {
            validator.slug(field, value);
        }
    }

    private static List<ClientGrant> sorted(Set<GrantEntry> entries) {
        return entries.stream().map(GrantEntry::toGrant)
                .sorted(Comparator.comparing(ClientGrant::app).thenComparing(ClientGrant::env)).toList();
    }

    private static ApiClientView view(ApiClient client) {
        List<ClientGrant> grants = sorted(client.grants());
        return new ApiClientView(client.id(), client.tenantId(), client.name(), grants, client.createdAt(),
                client.revokedAt());
    }
}
