package dev.tokencenter.token;

import dev.tokencenter.refresh.CatalogEntry;
import dev.tokencenter.refresh.CredentialCatalog;
import dev.tokencenter.refresh.CurrentToken;
import dev.tokencenter.refresh.RefreshOutcome;
import dev.tokencenter.refresh.RefreshProperties;
import dev.tokencenter.refresh.RefreshState;
import dev.tokencenter.refresh.RefreshStatus;
import dev.tokencenter.refresh.TokenChangeBus;
import dev.tokencenter.refresh.TokenReader;
import dev.tokencenter.refresh.TokenRefresher;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The token API's {@link TokenSource}: near cache (kept current by the "token changed" topic) first, then Redis, then
 * PostgreSQL, never JPA. A cache hit returns at once without blocking; misses go through Redisson's async API or
 * JDBC on boundedElastic. Never serves a token with less than the minimum lifetime left: a reader that finds none
 * waits (bounded by {@code read-wait}) for the refresh under way, or for one coalesced first fetch.
 */
@Component
class CachedTokenSource implements TokenSource, TokenChangeBus.Listener {

    private static final Logger log = LoggerFactory.getLogger(CachedTokenSource.class);

    /** A credential this instance does not know yet, while PostgreSQL is unreachable: ask again after this. */
    private static final Duration REGISTRY_RETRY_AFTER = Duration.ofSeconds(5);

    private final NearTokenCache near = new NearTokenCache();
    private final CredentialCatalog catalog;
    private final TokenReader shared;
    private final TokenRefresher engine;
    private final RefreshProperties properties;
    private final Duration readWait;
    private final Clock clock;
    private final NearCacheMeter lookups;

    CachedTokenSource(CredentialCatalog catalog, TokenReader shared, TokenRefresher engine, TokenChangeBus bus,
                      RefreshProperties properties, Clock clock, MeterRegistry registry) {
        this.catalog = catalog;
        this.lookups = new NearCacheMeter(registry);
        this.shared = shared;
        this.engine = engine;
        this.properties = properties;
        this.readWait = properties.readWait();
        this.clock = clock;
        bus.subscribe(this);
    }

    @Override
    public Mono<IssuedToken> current(CredentialKey credential) {
        return entry(credential).flatMap(this::current);
    }

    @Override
    public Mono<ReportAnswer> reportRejected(CredentialKey credential, String rejectedToken) {
        return entry(credential).flatMap(entry -> Mono.fromFuture(engine.reportRejected(entry, rejectedToken), true)
                .flatMap(outcome -> current(entry).flatMap(token -> {
                    if (!sameToken(token.accessToken(), rejectedToken)) {
                        if (outcome.result() == RefreshOutcome.Result.REFRESHED) {
                            log.info("{}: token refreshed after a client report WeChat confirmed", entry.key());
                        }
                        return Mono.just(new ReportAnswer(token, ReportAnswer.Verdict.REPLACED));
                    }
                    if (outcome.result() == RefreshOutcome.Result.CONFIRMED_VALID) {
                        return Mono.just(new ReportAnswer(token, ReportAnswer.Verdict.CONFIRMED_VALID));
                    }
                    return Mono.error(notReplaced(entry, outcome));
                })));
    }

    @Override
    public boolean reportCouldReplace(CredentialKey credential, String token) {
        CatalogEntry entry = catalog.find(credential).orElse(null);
        return entry == null || !entry.enabled() || engine.reportCouldReplace(entry, token);
    }

    /** The reported token is still the current one and WeChat did not confirm it: it must not be handed back. */
    private TokenUnavailableException notReplaced(CatalogEntry entry, RefreshOutcome outcome) {
        String reason = switch (outcome.result()) {
            case RATE_LIMITED -> "it was refreshed on demand moments ago";
            case UNVERIFIED -> "WeChat could not be asked whether it still works";
            case BUSY -> "a refresh is under way";
            default -> "the refresh did not succeed (" + outcome.result() + ")";
        };
        Duration retryAfter = outcome.result() == RefreshOutcome.Result.RATE_LIMITED
                ? properties.reportMinInterval() : Duration.ofSeconds(1);
        return new TokenUnavailableException("the reported token of " + entry.key() + " was not replaced: " + reason,
                retryAfter);
    }

    /**
     * The token in this instance's near cache if it may be served right now, with no I/O; null otherwise. Counts hits
     * only: a miss goes on to {@link #current(CredentialKey)}, which counts it.
     */
    @Override
    public IssuedToken usableFromMemory(CredentialKey credential) {
        CatalogEntry entry = catalog.find(credential).orElse(null);
        if (entry == null || !entry.enabled()) {
            return null;
        }
        CurrentToken cached = near.get(entry.upstreamId());
        if (!usable(cached, entry)) {
            return null;
        }
        lookups.hit();
        return issued(entry, cached);
    }

    private Mono<CatalogEntry> entry(CredentialKey credential) {
        return catalog.find(credential).map(Mono::just)
                .orElseGet(() -> Mono.fromCallable(() -> catalog.reload(credential))
                        .subscribeOn(Schedulers.boundedElastic())
                        .timeout(readWait, Mono.error(() -> new TokenUnavailableException(
                                "the registry did not answer in time for " + credential, Duration.ofSeconds(1))))
                        .onErrorMap(DataAccessException.class, e -> new TokenUnavailableException(
                                "the registry cannot be reached to look " + credential + " up", REGISTRY_RETRY_AFTER))
                        .flatMap(found -> found.map(Mono::just)
                                .orElseGet(() -> Mono.error(new CredentialNotFoundException(credential)))))
                .flatMap(entry -> entry.enabled() ? Mono.just(entry) : Mono.error(
                        new TokenUnavailableException("credential " + credential + " is disabled", null)));
    }

    private Mono<IssuedToken> current(CatalogEntry entry) {
        CurrentToken cached = near.get(entry.upstreamId());
        if (usable(cached, entry)) {
            lookups.hit();
            return Mono.just(issued(entry, cached));
        }
        lookups.miss();
        // one bound for the whole miss: Redis and PostgreSQL reads (each with its own, longer timeouts) and the wait
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + readWait.toNanos();
            return shared.current(entry.upstreamId())
                    .doOnNext(near::offer)
                    .filter(token -> usable(token, entry))
                    .map(token -> issued(entry, token))
                    .switchIfEmpty(Mono.defer(() -> awaitToken(entry, deadline)));
        }).timeout(readWait, Mono.error(() -> notYet(entry)));
    }

    /** No usable token anywhere: fail fast for a stopped or paused credential, otherwise wait until the deadline. */
    private Mono<IssuedToken> awaitToken(CatalogEntry entry, long deadline) {
        return shared.status(entry.upstreamId())
                .defaultIfEmpty(RefreshStatusHolder.NONE)
                .flatMap(status -> {
                    Instant now = clock.instant();
                    if (status != RefreshStatusHolder.NONE && blocked(status, now)) {
                        return Mono.error(unavailable(entry, status, now));
                    }
                    boolean noToken = status == RefreshStatusHolder.NONE || !status.hasToken()
                            || !entry.appid().equals(status.appid());
                    if (noToken) {
                        engine.firstUse(entry);
                    }
                    return waitForToken(entry, deadline);
                });
    }

    private Mono<IssuedToken> waitForToken(CatalogEntry entry, long deadline) {
        var next = near.next(entry.upstreamId());
        CurrentToken cached = near.get(entry.upstreamId());
        if (usable(cached, entry)) {
            return Mono.just(issued(entry, cached));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return Mono.error(notYet(entry));
        }
        return Mono.fromFuture(next, true)
                .timeout(Duration.ofNanos(left))
                .onErrorMap(TimeoutException.class, e -> notYet(entry))
                .flatMap(token -> usable(token, entry) ? Mono.just(issued(entry, token)) : waitForToken(entry, deadline));
    }

    private boolean usable(CurrentToken token, CatalogEntry entry) {
        return token != null && token.appid().equals(entry.appid()) && token.usableAt(clock.instant(), properties.minimumLifetimeFor(entry.mode()));
    }

    private IssuedToken issued(CatalogEntry entry, CurrentToken token) {
        return new IssuedToken(entry.key(), token.appid(), token.accessToken(), token.worksUntil(),
                token.expiresAt().minus(properties.minimumLifetimeFor(entry.mode())));
    }

    private static boolean blocked(RefreshStatus status, Instant now) {
        return status.state() == RefreshState.STOPPED
                || status.state() == RefreshState.PAUSED && status.pausedUntil() != null && status.pausedUntil().isAfter(now);
    }

    private static TokenUnavailableException unavailable(CatalogEntry entry, RefreshStatus status, Instant now) {
        String cause = status.lastError() == null ? "" : " after errcode " + status.lastError().errcode()
                + " (" + status.lastError().policy() + ")";
        if (status.state() == RefreshState.PAUSED) {
            return new TokenUnavailableException("credential " + entry.key() + " is paused until the next quota day" + cause,
                    Duration.between(now, status.pausedUntil()));
        }
        return new TokenUnavailableException("credential " + entry.key() + " is stopped" + cause
                + " and has no usable token; an admin must fix it", null);
    }

    private TokenUnavailableException notYet(CatalogEntry entry) {
        return new TokenUnavailableException("no token with the minimum lifetime is available yet for " + entry.key(),
                Duration.ofSeconds(1));
    }

    private static boolean sameToken(String a, String b) {
        return a != null && b != null && !a.isEmpty()
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void tokenChanged(CurrentToken token) {
        near.offer(token);
    }

    @Override
    public boolean holds(long upstreamId, long sequence) {
        CurrentToken cached = near.get(upstreamId);
        return cached != null && cached.sequence() >= sequence;
    }

    @Override
    public void latestSequence(long upstreamId, long sequence) {
        CurrentToken cached = near.get(upstreamId);
        if (cached != null && cached.sequence() < sequence) {
            shared.current(upstreamId).subscribe(near::offer,
                    e -> log.debug("near cache resync of {} failed: {}", upstreamId, e.getClass().getSimpleName()));
        }
    }

    @Override
    public void servedOnly(Set<Long> upstreamIds) {
        near.retainOnly(upstreamIds);
    }

    /** Whether this instance holds a decrypted token of the upstream credential in memory. */
    boolean holdsInMemory(long upstreamId) {
        return near.get(upstreamId) != null;
    }

    /** Marker for "no status anywhere" in reactive chains that cannot carry null. */
    private static final class RefreshStatusHolder {
        static final RefreshStatus NONE = new RefreshStatus(RefreshState.NO_TOKEN, 0, null, null, null, null, null, null,
                null, null, 0, null);
    }
}
