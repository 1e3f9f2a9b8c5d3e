package dev.tokencenter.compat;

import dev.tokencenter.refresh.CatalogEntry;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.refresh.RefreshProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;

/**
 * AppID look-ups in the refresh engine's in-memory credential catalog: a map read. A miss asks the catalog to catch up
 * with the registry first (a credential created a moment ago), off the event loop and bounded by the read wait.
 */
@Component
class CatalogCompatCredentials implements CompatCredentials {

    private final CredentialCatalog catalog;
    private final Duration readWait;

    CatalogCompatCredentials(CredentialCatalog catalog, RefreshProperties refresh) {
        this.catalog = catalog;
        this.readWait = refresh.readWait();
    }

    @Override
    public Mono<List<CompatCredential>> findByAppid(String tenant, String appid) {
        List<CompatCredential> found = findInMemory(tenant, appid);
        if (!found.isEmpty()) {
            return Mono.just(found);
        }
        return Mono.fromCallable(() -> {
            catalog.reloadIfChangedAfterMiss();
            return lookUp(tenant, appid);
        }).subscribeOn(Schedulers.boundedElastic()).timeout(readWait, Mono.fromSupplier(() -> lookUp(tenant, appid)));
    }

    @Override
    public List<CompatCredential> findInMemory(String tenant, String appid) {
        return catalog.isLoaded() ? lookUp(tenant, appid) : List.of();
    }

    private List<CompatCredential> lookUp(String tenant, String appid) {
        return catalog.findAllByAppid(tenant, appid).stream()
                .flatMap(key -> catalog.find(key).stream())
                .map(CatalogCompatCredentials::compat)
                .toList();
    }

    private static CompatCredential compat(CatalogEntry entry) {
        return new CompatCredential(entry.key(), "WECOM".equals(entry.platform()));
    }
}
