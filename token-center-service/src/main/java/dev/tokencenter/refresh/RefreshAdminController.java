package dev.tokencenter.refresh;

import dev.tokencenter.audit.AuditLog;
import dev.tokencenter.audit.AuditOutcome;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Refresh status and operator actions. Access rules come from the admin security chain: GET for VIEWER and above,
 * POST for OPERATOR and above.
 */
@RestController
@RequestMapping("/admin/api")
class RefreshAdminController {

    /** The status list, with the answering instance (statuses themselves are cluster-wide). */
    record StatusReport(String instance, Instant generatedAt, List<CredentialStatusView> credentials) {
    }

    /** What an operator action did, and the status afterwards. */
    record ActionResult(RefreshOutcome.Result outcome, CredentialStatusView status) {
    }

    private final CredentialCatalog catalog;
    private final RefreshEngine engine;
    private final RefreshStatusService statuses;
    private final AuditLog audit;
    private final InstanceIdentity identity;
    private final RefreshProperties properties;
    private final Clock clock;

    RefreshAdminController(CredentialCatalog catalog, RefreshEngine engine, RefreshStatusService statuses, AuditLog audit,
                           InstanceIdentity identity, RefreshProperties properties, Clock clock) {
        this.catalog = catalog;
        this.engine = engine;
        this.statuses = statuses;
        this.audit = audit;
        this.identity = identity;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/status")
    Mono<StatusReport> status(@RequestParam(required = false) String tenant) {
        return Mono.fromCallable(() -> new StatusReport(identity.id(), clock.instant(), statuses.all(tenant)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/tenants/{tenant}/apps/{app}/envs/{env}/status")
    Mono<ResponseEntity<?>> credentialStatus(@PathVariable String tenant, @PathVariable String app, @PathVariable String env) {
        CredentialKey key = new CredentialKey(tenant, app, env);
        return Mono.<ResponseEntity<?>>fromCallable(() -> statuses.one(key)
                        .<ResponseEntity<?>>map(ResponseEntity::ok)
                        .orElseGet(() -> notFound(key)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/tenants/{tenant}/apps/{app}/envs/{env}/refresh")
    Mono<ResponseEntity<?>> refresh(@PathVariable String tenant, @PathVariable String app, @PathVariable String env,
                                    ServerWebExchange exchange) {
        return act("token.refresh", new CredentialKey(tenant, app, env), exchange, engine::force);
    }

    @PostMapping("/tenants/{tenant}/apps/{app}/envs/{env}/retry")
    Mono<ResponseEntity<?>> retry(@PathVariable String tenant, @PathVariable String app, @PathVariable String env,
                                  ServerWebExchange exchange) {
        return act("token.retry", new CredentialKey(tenant, app, env), exchange, engine::retry);
    }

    private Mono<ResponseEntity<?>> act(String action, CredentialKey key, ServerWebExchange exchange,
                                        Function<CatalogEntry, CompletableFuture<RefreshOutcome>> operation) {
        Mono<String> actor = exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous");
        return actor.flatMap(name -> {
            CatalogEntry entry = catalog.find(key).orElse(null);
            if (entry == null) {
                return Mono.just(notFound(key));
            }
            if (!entry.enabled()) {
                return audited(name, action, key, AuditOutcome.DENIED, Map.of("reason", "disabled"),
                        problem(ProblemType.CREDENTIAL_DISABLED, key + " is disabled: enable it before refreshing", null));
            }
            return Mono.fromFuture(operation.apply(entry))
                    .publishOn(Schedulers.boundedElastic())
                    .flatMap(outcome -> respond(name, action, key, outcome));
        });
    }

    private Mono<ResponseEntity<?>> respond(String actor, String action, CredentialKey key, RefreshOutcome outcome) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("outcome", outcome.result().name());
        if (outcome.status() != null) {
            details.put("state", outcome.status().state().name());
            if (outcome.status().lastError() != null && outcome.status().lastError().errcode() != null) {
                details.put("errcode", outcome.status().lastError().errcode());
            }
        }
        return switch (outcome.result()) {
            case RATE_LIMITED -> audited(actor, action, key, AuditOutcome.DENIED, details,
                    problem(ProblemType.REFRESH_RATE_LIMITED, key + " was refreshed on demand less than " + properties.reportMinInterval().toSeconds()
                                    + " s ago; try again later", properties.reportMinInterval()));
            case REFUSED -> audited(actor, action, key, AuditOutcome.DENIED, details, refused(key, outcome));
            case BUSY -> audited(actor, action, key, AuditOutcome.FAILED, details,
                    problem(ProblemType.REFRESH_BUSY, "another refresh of " + key + " is still under way; try again shortly", Duration.ofSeconds(1)));
            case GONE -> Mono.just(notFound(key));
            default -> audited(actor, action, key,
                    outcome.result() == RefreshOutcome.Result.FAILED ? AuditOutcome.FAILED : AuditOutcome.SUCCESS, details,
                    ResponseEntity.ok(new ActionResult(outcome.result(), statuses.one(key).orElse(null))));
        };
    }

    private ResponseEntity<?> refused(CredentialKey key, RefreshOutcome outcome) {
        RefreshStatus status = outcome.status();
        if (status != null && (status.state() == RefreshState.STOPPED || status.state() == RefreshState.PAUSED)) {
            return problem(ProblemType.CREDENTIAL_STOPPED, key + " is " + status.state() + ": fix the cause, then POST .../retry to resume it", null);
        }
        return problem(ProblemType.FORCE_REFRESH_LIMITED, "WeChat allows " + properties.forceRefreshDailyLimit() + " force_refresh calls per day and one per "
                        + properties.forceRefreshMinInterval().toSeconds() + " s; " + key + " keeps its token",
                properties.forceRefreshMinInterval());
    }

    private Mono<ResponseEntity<?>> audited(String actor, String action, CredentialKey key, AuditOutcome outcome,
                                            Map<String, ?> details, ResponseEntity<?> response) {
        return Mono.<ResponseEntity<?>>fromCallable(() -> {
            audit.record(actor, action, key.tenant(), key.toString(), outcome, details);
            return response;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static ResponseEntity<?> notFound(CredentialKey key) {
        return problem(ProblemType.CREDENTIAL_NOT_FOUND, "no credential " + key, null);
    }

    /** {@code instance} is left to Spring, which sets the request path. */
    private static ResponseEntity<?> problem(ProblemType type, String detail, Duration retryAfter) {
        Problem problem = Problem.of(type, detail);
        return (retryAfter == null ? problem : problem.retryAfter(retryAfter)).toEntity(null);
    }
}
