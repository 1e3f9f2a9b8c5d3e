package dev.tokencenter.miniprogram;

import dev.tokencenter.refresh.CatalogEntry;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * Finds the mini program environment of a tenant/app/env in the in-memory credential catalog (PostgreSQL, on
 * boundedElastic and bounded, only for an address the catalog does not know yet). Refuses a disabled environment and
 * one whose app is not a mini program.
 */
@Component
class MiniProgramApps {

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final CredentialCatalog catalog;

    MiniProgramApps(CredentialCatalog catalog) {
        this.catalog = catalog;
    }

    Mono<MiniProgramApp> find(CredentialKey key) {
        return catalog.find(key).map(Mono::just)
                .orElseGet(() -> Mono.fromCallable(() -> catalog.reload(key))
                        .subscribeOn(Schedulers.boundedElastic())
                        .timeout(LOOKUP_TIMEOUT)
                        .flatMap(found -> found.map(Mono::just)
                                .orElseGet(() -> Mono.error(new CredentialNotFoundException(key)))))
                .flatMap(MiniProgramApps::usable);
    }

    private static Mono<MiniProgramApp> usable(CatalogEntry entry) {
        if (!Platform.WECHAT_MINIPROGRAM.name().equals(entry.platform())) {
            return Mono.error(new MiniProgramRefusal(Problem.of(ProblemType.NOT_A_MINI_PROGRAM, entry.key()
                    + " is an app of platform " + entry.platform() + "; sessions and phone numbers exist only for"
                    + " WECHAT_MINIPROGRAM apps.")));
        }
        if (!entry.enabled()) {
            return Mono.error(new MiniProgramRefusal(Problem.of(ProblemType.CREDENTIAL_DISABLED,
                    entry.key() + " is disabled.")));
        }
        return Mono.just(new MiniProgramApp(entry.environmentId(), entry.key(), entry.appid()));
    }
}
