package dev.tokencenter.client;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Authenticates client keys. Clients (with their grants) are cached by client id: a request reads PostgreSQL only
 * on a miss, on boundedElastic, and concurrent misses for one id share one query. Unknown ids are cached too, for
 * {@code unknown-ttl}, and reads of ids not known as active ({@link ActiveClientIds}) pass a token bucket per instance,
 * so a flood of made-up keys costs PostgreSQL at most {@code unknown-lookups-per-second}: beyond it such a request
 * fails with {@link ClientLookupThrottledException} without a query. Entries are evicted on every instance when a
 * client changes ({@link ApiClientChangeFanout}) and re-read in the background after {@code refreshAfter}.
 */
@Component
public class ApiClientDirectory {

    private static final Logger log = LoggerFactory.getLogger(ApiClientDirectory.class);
    private static final String UNKNOWN_IDS = "unknown client ids";

    private final AsyncLoadingCache<String, Optional<ClientPrincipal>> clients;
    private final ActiveClientIds activeIds;
    private final PerClientRateLimiter unknownLookups;
    private final Counter throttled;

    ApiClientDirectory(ApiClientStore store, ActiveClientIds activeIds, ClientKeyCacheProperties properties,
                       MeterRegistry meters) {
        this.activeIds = activeIds;
        this.unknownLookups = new PerClientRateLimiter(properties.unknownLookupBurst(),
                Duration.ofSeconds(1).multipliedBy(properties.unknownLookupBurst())
                        .dividedBy(properties.unknownLookupsPerSecond()));
        this.throttled = Counter.builder("token_center.clients.lookups.throttled")
                .description("Client keys answered 503 because lookups of unknown client ids were over their limit")
                .register(meters);
        this.clients = Caffeine.newBuilder()
                .maximumSize(properties.maximumSize())
                .refreshAfterWrite(properties.refreshAfter())
                .expireAfter(new ClientEntryExpiry(properties.expireAfter(), properties.unknownTtl()))
                .buildAsync(new AsyncCacheLoader<>() {
                    @Override
                    public CompletableFuture<Optional<ClientPrincipal>> asyncLoad(String clientId, Executor executor) {
                        return Mono.fromCallable(() -> store.findActive(clientId))
                                .subscribeOn(Schedulers.boundedElastic())
                                .toFuture();
                    }

                    /** An unknown id is not re-read: it expires after {@code unknown-ttl} or goes with a change event. */
                    @Override
                    public CompletableFuture<Optional<ClientPrincipal>> asyncReload(
                            String clientId, Optional<ClientPrincipal> old, Executor executor) {
                        return old.isEmpty() ? CompletableFuture.completedFuture(old) : asyncLoad(clientId, executor);
                    }
                });
    }

    /**
     * The active client the key belongs to; empty when the key is malformed, unknown, revoked or wrong.
     * Errors with {@link ClientDirectoryUnavailableException} when the client cannot be read at all, and with its
     * subclass {@link ClientLookupThrottledException} when reading it would exceed the limit on unknown ids.
     */
    public Mono<ClientPrincipal> authenticate(String key) {
        String clientId = ClientKeys.clientIdOrNull(key);
        if (clientId == null) {
            return Mono.empty();
        }
        CompletableFuture<Optional<ClientPrincipal>> lookup = clients.getIfPresent(clientId);
        if (lookup == null) {
            Duration wait = activeIds.contains(clientId) ? Duration.ZERO : unknownLookups.tryAcquire(UNKNOWN_IDS);
            if (!wait.isZero()) {
                throttled.increment();
                return Mono.error(new ClientLookupThrottledException(wait));
            }
            lookup = clients.get(clientId);
        }
        if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
            return verified(lookup.join(), key);
        }
        return Mono.fromFuture(lookup, true)
                .onErrorMap(e -> {
                    log.warn("Could not read API client {}: {}", clientId, e.toString());
                    return new ClientDirectoryUnavailableException(e);
                })
                .flatMap(client -> verified(client, key));
    }

    /**
     * The client the key belongs to when this instance already holds that client and the key matches, with no I/O;
     * null when answering needs {@link #authenticate(String)} (unknown here, loading, or not matching).
     */
    public ClientPrincipal verifiedFromMemory(String key) {
        String clientId = ClientKeys.clientIdOrNull(key);
        CompletableFuture<Optional<ClientPrincipal>> lookup = clientId == null ? null : clients.getIfPresent(clientId);
        if (lookup == null || !lookup.isDone() || lookup.isCompletedExceptionally()) {
            return null;
        }
        return lookup.join().filter(client -> client.acceptsKey(key)).orElse(null);
    }

    private static Mono<ClientPrincipal> verified(Optional<ClientPrincipal> client, String key) {
        return client.filter(c -> c.acceptsKey(key)).map(Mono::just).orElseGet(Mono::empty);
    }

    /**
     * A client was created, changed or revoked (here or on another instance): forgets what this instance knows of it,
     * including that it was unknown, and counts its id as known so that its next lookup is not throttled.
     */
    public void changed(String clientId) {
        activeIds.add(clientId);
        evict(clientId);
    }

    /** Forgets what this instance knows of the client: its next request reads PostgreSQL. */
    public void evict(String clientId) {
        clients.synchronous().invalidate(clientId);
    }

    /**
     * Re-reads every client this instance holds, in the background, and the ids of the active ones (after change
     * messages may have been missed while Redis was unreachable). Each client is kept until its new read succeeds, so
     * keys go on working while PostgreSQL cannot be read.
     */
    public void reloadAll() {
        var held = clients.synchronous();
        held.refreshAll(List.copyOf(held.asMap().keySet()));
        activeIds.reloadSoon();
    }
}
