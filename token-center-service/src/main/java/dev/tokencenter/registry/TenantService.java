package dev.tokencenter.registry;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.Validator;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tenants. Blocking (JPA): call from a bounded-elastic thread, never from an event loop. */
@Service
public class TenantService {

    private final TenantRepository tenants;
    private final AppRepository apps;
    private final TenantClients clients;
    private final SlugResolver lookup;
    private final TransactionalChanges changes;
    private final AuditLog audit;

    TenantService(TenantRepository tenants, AppRepository apps, TenantClients clients, SlugResolver lookup,
                  TransactionalChanges changes, AuditLog audit) {
        this.tenants = tenants;
        this.apps = apps;
        this.clients = clients;
        this.lookup = lookup;
        this.changes = changes;
        this.audit = audit;
    }

    public TenantView createTenant(String actor, String id, String name) {
        new Validator().slug("id", id).name("name", name).throwIfInvalid();
        return changes.run(events -> {
            if (tenants.existsById(id)) {
                throw new ConflictException("tenant '" + id + "' already exists");
            }
            Tenant tenant = tenants.saveAndFlush(new Tenant(id, name.strip(), Instant.now()));
            audit.record(actor, "tenant.create", id, id, AuditOutcome.SUCCESS, Map.of("name", tenant.name()));
            return TenantView.of(tenant);
        });
    }

    /** Gives the tenant a new name (its id stays); the same name changes nothing. */
    public TenantView renameTenant(String actor, String id, String name) {
        new Validator().name("name", name).throwIfInvalid();
        return changes.run(events -> {
            Tenant tenant = lookup.tenant(id);
            String before = tenant.name();
            if (!before.equals(name.strip())) {
                tenant.rename(name.strip());
                tenants.saveAndFlush(tenant);
                audit.record(actor, "tenant.rename", id, id, AuditOutcome.SUCCESS, Map.of("from", before, "to", tenant.name()));
            }
            return TenantView.of(tenant);
        });
    }

    /**
     * Deletes a tenant that has no apps and no active API clients (409 otherwise, saying what to remove first); its
     * revoked clients go with it. Its audit events stay.
     */
    public void deleteTenant(String actor, String id) {
        changes.run(events -> {
            Tenant tenant = lookup.tenant(id);
            long appCount = apps.countByTenantId(id);
            if (appCount > 0) {
                throw new ConflictException("tenant '" + id + "' still has " + appCount + " app(s): delete them first");
            }
            long active = clients.activeClients(id);
            if (active > 0) {
                throw new ConflictException("tenant '" + id + "' still has " + active
                        + " active API client(s): revoke them first");
            }
            int revoked = clients.deleteRevokedClients(id);
            tenants.delete(tenant);
            tenants.flush();
            audit.record(actor, "tenant.delete", id, id, AuditOutcome.SUCCESS,
                    Map.of("name", tenant.name(), "revoked_clients_deleted", revoked));
            return null;
        });
    }

    public List<TenantView> listTenants() {
        return changes.read(() -> tenants.findAllByOrderByIdAsc().stream().map(TenantView::of).toList());
    }

    public TenantView getTenant(String id) {
        return changes.read(() -> TenantView.of(lookup.tenant(id)));
    }
}
