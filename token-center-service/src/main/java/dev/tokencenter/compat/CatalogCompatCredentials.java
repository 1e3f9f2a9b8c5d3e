package dev.tokencenter.compat;

import dev.tokencenter.refresh.CatalogEntry;
import dev.tokencenter.refresh.CredentialCatalog;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/** AppID look-ups in the refresh engine's in-memory credential catalog (a map read; loaded once if still empty). */
@Component
class CatalogCompatCredentials implements CompatCredentials {

    private final CredentialCatalog catalog;

    CatalogCompatCredentials(CredentialCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Mono<List<CompatCredential>> findByAppid(String tenant, String appid) {
        if (catalog.isLoaded()) {
            return Mono.just(lookUp(tenant, appid));
        }
        return Mono.fromCallable(() -> {
            catalog.reload();
            return lookUp(tenant, appid);
        }).subscribeOn(Schedulers.boundedElastic());
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
