package dev.tokencenter.refresh;

import dev.tokencenter.registry.CredentialKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One immutable state of the credential catalog, indexed the ways it is looked up. */
final class CatalogSnapshot {

    static final Comparator<CatalogEntry> ENABLED_FIRST_THEN_OLDEST =
            Comparator.comparing((CatalogEntry entry) -> !entry.enabled()).thenComparingLong(CatalogEntry::environmentId);

    final List<CatalogEntry> entries;
    final Map<CredentialKey, CatalogEntry> byKey = new HashMap<>();
    final Map<Long, CatalogEntry> byEnvironment = new HashMap<>();
    final Map<Long, List<CatalogEntry>> byUpstream = new LinkedHashMap<>();
    /** Keys by tenant and AppID, enabled first, then oldest: the compatible endpoints look every request up here. */
    final Map<TenantAppid, List<CredentialKey>> byAppid = new HashMap<>();
    final List<CatalogEntry> units = new ArrayList<>();

    CatalogSnapshot(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
        Map<Long, List<CatalogEntry>> grouped = new HashMap<>();
        for (CatalogEntry entry : entries) {
            byKey.put(entry.key(), entry);
            byEnvironment.put(entry.environmentId(), entry);
            grouped.computeIfAbsent(entry.upstreamId(), id -> new ArrayList<>()).add(entry);
        }
        Map<TenantAppid, List<CatalogEntry>> byTenantAppid = new HashMap<>();
        for (CatalogEntry entry : entries) {
            byTenantAppid.computeIfAbsent(new TenantAppid(entry.key().tenant(), entry.appid()), k -> new ArrayList<>())
                    .add(entry);
        }
        byTenantAppid.forEach((key, found) -> byAppid.put(key,
                found.stream().sorted(ENABLED_FIRST_THEN_OLDEST).map(CatalogEntry::key).toList()));
        grouped.forEach((id, sharing) -> {
            List<CatalogEntry> ordered = sharing.stream().sorted(ENABLED_FIRST_THEN_OLDEST).toList();
            byUpstream.put(id, ordered);
            if (ordered.get(0).enabled()) {
                units.add(ordered.get(0));
            }
        });
    }

    record TenantAppid(String tenant, String appid) {

        // written out: the generated ones go through method handles, slower on the compatible read path
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof TenantAppid key
                    && Objects.equals(tenant, key.tenant) && Objects.equals(appid, key.appid);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(tenant) * 31 + Objects.hashCode(appid);
        }
    }

    boolean sameEntriesAs(CatalogSnapshot other) {
        return byEnvironment.equals(other.byEnvironment);
    }
}
