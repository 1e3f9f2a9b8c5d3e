package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Non-blocking reads of the shared state for the token API's hot path: Redis first, PostgreSQL as the cold fallback
 * (JDBC on boundedElastic) when Redis has nothing or cannot be reached. While the {@link RedisBreaker} is open, Redis
 * is not asked at all: a read does not wait for its timeout.
 */
@Component
public class TokenReader {

    private static final Logger log = LoggerFactory.getLogger(TokenReader.class);

    private final RedisTokenStore store;
    private final TokenStateStore database;
    private final TokenCipher sealing;
    private final RedisBreaker breaker;

    TokenReader(RedisTokenStore store, TokenStateStore database, TokenCipher sealing, RedisBreaker breaker) {
        this.store = store;
        this.database = database;
        this.sealing = sealing;
        this.breaker = breaker;
    }

    /** The current token of a credential, decrypted; empty when there is none anywhere. */
    public Mono<CurrentToken> current(long upstreamId) {
        return redis(() -> store.readTokenAsync(upstreamId))
                .onErrorResume(e -> {
                    breaker.failed(e);
                    log.warn("Redis unreadable, reading token {} from PostgreSQL: {}", upstreamId, e.getClass().getSimpleName());
                    return Mono.just(Optional.empty());
                })
                .flatMap(cached -> cached.isPresent() ? Mono.just(cached.get()) : fromDatabase(upstreamId))
                .map(sealing::open);
    }

    /** The refresh status of a credential; empty when it never had one. */
    public Mono<RefreshStatus> status(long upstreamId) {
        return redis(() -> store.statusAsync(upstreamId))
                .onErrorResume(e -> {
                    breaker.failed(e);
                    return Mono.just(Optional.empty());
                })
                .flatMap(cached -> cached.isPresent() ? Mono.just(cached.get())
                        : Mono.fromCallable(() -> database.read(upstreamId).map(TokenStateStore.Row::status))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(Mono::justOrEmpty));
    }

    /** Redis's answer, or "nothing there" at once while the breaker is open. */
    private <T> Mono<Optional<T>> redis(Supplier<Mono<Optional<T>>> read) {
        return Mono.defer(() -> breaker.isOpen() ? Mono.just(Optional.<T>empty()) : read.get());
    }

    private Mono<StoredToken> fromDatabase(long upstreamId) {
        return Mono.fromCallable(() -> database.read(upstreamId).flatMap(TokenStateStore.Row::token))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(Mono::justOrEmpty);
    }
}
