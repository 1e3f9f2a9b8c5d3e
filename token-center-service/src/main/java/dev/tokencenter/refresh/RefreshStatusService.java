package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;
import org.springframework.stereotype.Service;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds status views from the catalog and the shared state. Blocking (Redis round trips): call it off event loops. */
@Service
class RefreshStatusService {

    private final CredentialCatalog catalog;
    private final RedisTokenStore store;
    private final QuotaAccounting quota;
    private final TicketStore tickets;

    RefreshStatusService(CredentialCatalog catalog, RedisTokenStore store, QuotaAccounting quota, TicketStore tickets) {
        this.catalog = catalog;
        this.store = store;
        this.quota = quota;
        this.tickets = tickets;
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
        Map<Long, List<TicketView>> ticketViews = tickets.views(units(entries));
        return entries.stream()
                .map(entry -> CredentialStatusView.of(entry, catalog.sharing(entry.upstreamId()),
                        statuses.get(entry.upstreamId()), used.get(entry.upstreamId()), ticketViews.get(entry.upstreamId())))
                .toList();
    }

    public Optional<CredentialStatusView> one(CredentialKey key) {
        return catalog.find(key).map(entry -> CredentialStatusView.of(entry, catalog.sharing(entry.upstreamId()),
                store.status(entry.upstreamId()).orElse(null), quota.usedToday(entry.upstreamId()),
                tickets.views(List.of(entry)).get(entry.upstreamId())));
    }

    /** One entry per upstream credential: its tickets are the same for every environment that shares it. */
    private static List<CatalogEntry> units(List<CatalogEntry> entries) {
        Map<Long, CatalogEntry> byUpstream = new LinkedHashMap<>();
        entries.forEach(entry -> byUpstream.putIfAbsent(entry.upstreamId(), entry));
        return List.copyOf(byUpstream.values());
    }
}
