package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;

/**
 * Non-blocking reads of the shared state for the token API's hot path: Redis first, PostgreSQL as the cold fallback
 * (JDBC on boundedElastic) when Redis has nothing or cannot be reached.
 */
@Component
public class TokenReader {

    private static final Logger log = LoggerFactory.getLogger(TokenReader.class);

    private final RedisTokenStore store;
    private final TokenStateStore database;
    private final TokenCipher sealing;

    TokenReader(RedisTokenStore store, TokenStateStore database, TokenCipher sealing) {
        this.store = store;
        this.database = database;
        this.sealing = sealing;
    }

    /** The current token of a credential, decrypted; empty when there is none anywhere. */
    public Mono<CurrentToken> current(long upstreamId) {
        return store.readTokenAsync(upstreamId)
                .onErrorResume(e -> {
                    log.warn("Redis unreadable, reading token {} from PostgreSQL: {}", upstreamId, e.getClass().getSimpleName());
                    return Mono.just(Optional.empty());
                })
                .flatMap(cached -> cached.isPresent() ? Mono.just(cached.get()) : fromDatabase(upstreamId))
                .map(sealing::open);
    }

    /** The refresh status of a credential; empty when it never had one. */
    public Mono<RefreshStatus> status(long upstreamId) {
        return store.statusAsync(upstreamId)
                .onErrorResume(e -> Mono.just(Optional.empty()))
                .flatMap(cached -> cached.isPresent() ? Mono.just(cached.get())
                        : Mono.fromCallable(() -> database.read(upstreamId).map(TokenStateStore.Row::status))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(Mono::justOrEmpty));
    }

    private Mono<StoredToken> fromDatabase(long upstreamId) {
        return Mono.fromCallable(() -> database.read(upstreamId).flatMap(TokenStateStore.Row::token))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::justOrEmpty);
    }
}
