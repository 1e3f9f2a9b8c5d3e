package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import org.springframework.stereotype.Service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds status views from the catalog and the shared state. Blocking (Redis round trips): call it off event loops. */
@Service
class RefreshStatusService {

    private final CredentialCatalog catalog;
    private final RedisTokenStore store;
    private final QuotaAccounting quota;

    RefreshStatusService(CredentialCatalog catalog, RedisTokenStore store, QuotaAccounting quota) {
        this.catalog = catalog;
        this.store = store;
        this.quota = quota;
    }

    /** Every credential (or a tenant's), ordered by tenant, app, env. */
    public List<CredentialStatusView> all(String tenant) {
        List<CatalogEntry> entries = catalog.entries().stream()
                .filter(entry -> tenant == null || entry.key().tenant().equals(tenant))
                .sorted(Comparator.comparing((CatalogEntry entry) -> entry.key().tenant())
                        .thenComparing(entry -> entry.key().app())
                        .thenComparing(entry -> entry.key().env()))
                .toList();
        List<Long> ids = entries.stream().map(CatalogEntry::upstreamId).distinct().toList();
        Map<Long, RefreshStatus> statuses = store.statuses(ids);
        Map<Long, Map<String, Long>> used = quota.usedToday(ids);
        return entries.stream()
                .map(entry -> CredentialStatusView.of(entry, catalog.sharing(entry.upstreamId()),
                        statuses.get(entry.upstreamId()), used.get(entry.upstreamId())))
                .toList();
    }

    public Optional<CredentialStatusView> one(CredentialKey key) {
        return catalog.find(key).map(entry -> CredentialStatusView.of(entry, catalog.sharing(entry.upstreamId()),
                store.status(entry.upstreamId()).orElse(null), quota.usedToday(entry.upstreamId())));
    }
}
