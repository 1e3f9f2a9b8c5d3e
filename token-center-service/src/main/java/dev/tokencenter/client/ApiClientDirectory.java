package dev.tokencenter.client;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates client keys. Clients (with their grants) are cached by client id: a request reads PostgreSQL only
 * on a miss, on boundedElastic, and concurrent misses for one id share one query. Unknown ids are cached too, so a
 * flood of made-up keys does not reach the database. Entries are evicted on every instance when a client changes
 * ({@link ApiClientChangeFanout}) and re-read in the background after {@code refreshAfter} as a safety net.
 */
@Component
public class ApiClientDirectory {

    private static final Logger log = LoggerFactory.getLogger(ApiClientDirectory.class);

    private final AsyncLoadingCache<String, Optional<ClientPrincipal>> clients;

    ApiClientDirectory(JdbcApiClientStore store, ClientKeyCacheProperties properties) {
        this.clients = Caffeine.newBuilder()
                .maximumSize(properties.maximumSize())
                .refreshAfterWrite(properties.refreshAfter())
                .expireAfterWrite(properties.expireAfter())
                .buildAsync((clientId, executor) -> Mono.fromCallable(() -> store.findActive(clientId))
                        .subscribeOn(Schedulers.boundedElastic())
                        .toFuture());
    }

    /**
     * The active client the key belongs to; empty when the key is malformed, unknown, revoked or wrong.
     * Errors with {@link ClientDirectoryUnavailableException} when the client cannot be read at all.
     */
    public Mono<ClientPrincipal> authenticate(String key) {
        String clientId = ClientKeys.clientIdOrNull(key);
        if (clientId == null) {
            return Mono.empty();
        }
        CompletableFuture<Optional<ClientPrincipal>> lookup = clients.get(clientId);
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

    /** Forgets what this instance knows of the client: its next request reads PostgreSQL. */
    public void evict(String clientId) {
        clients.synchronous().invalidate(clientId);
    }

    /** Forgets every client (e.g. after missing change messages while Redis was unreachable). */
    public void evictAll() {
        clients.synchronous().invalidateAll();
    }
}
