package dev.tokencenter.security;

import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One admin session held by {@link RedisWebSessionStore}. Only string attributes are kept (the admin chain stores
 * the username; roles are re-read on every request): nothing is deserialized into objects from Redis.
 */
final class RedisWebSession implements WebSession {

    private final RedisWebSessionStore store;
    private final AtomicReference<String> id;
    private final Instant createdAt;
    private final Map<String, Object> attributes;
    private volatile Instant lastAccess;
    private volatile Duration maxIdle;
    private volatile boolean started;
    private volatile boolean invalidated;
    private volatile String replacedId;
    private volatile Map<String, String> persisted;

    RedisWebSession(RedisWebSessionStore store, String id, Instant createdAt, Instant lastAccess,
                    Map<String, String> attributes, boolean started) {
        this.store = store;
        this.id = new AtomicReference<>(id);
        this.createdAt = createdAt;
        this.lastAccess = lastAccess;
        this.attributes = new ConcurrentHashMap<>(attributes);
        this.maxIdle = store.maxIdle();
        this.started = started;
        this.persisted = started ? Map.copyOf(attributes) : null;
    }

    @Override
    public String getId() {
        return id.get();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public boolean isStarted() {
        return started || !attributes.isEmpty();
    }

    /** A new id (at login), the old one forgotten when the session is saved. */
    @Override
    public Mono<Void> changeSessionId() {
        String previous = id.getAndSet(RedisWebSessionStore.newId());
        if (replacedId == null && persisted != null) {
            replacedId = previous;
        }
        persisted = null;
        return Mono.empty();
    }

    @Override
    public Mono<Void> invalidate() {
        invalidated = true;
        attributes.clear();
        Mono<Void> old = replacedId == null ? Mono.empty() : store.removeSession(replacedId);
        return old.then(store.removeSession(getId()));
    }

    /**
     * Writes the session when it is new, has a new id or changed attributes; otherwise does nothing (reading it renewed
     * its idle timeout). The admin chain saves at login itself, so the save Spring's session manager makes while the
     * response commits finds nothing to write.
     */
    @Override
    public Mono<Void> save() {
        if (invalidated) {
            return Mono.empty();
        }
        Map<String, String> strings = new LinkedHashMap<>();
        attributes.forEach((name, value) -> {
            if (value instanceof String text) {
                strings.put(name, text);
            }
        });
        String replaced = replacedId;
        if (replaced == null && strings.equals(persisted)) {
            return Mono.empty();
        }
        replacedId = null;
        persisted = Map.copyOf(strings);
        Mono<Void> forgetOld = replaced == null ? Mono.empty() : store.removeSession(replaced);
        return forgetOld.then(store.write(getId(), createdAt, strings, maxIdle));
    }

    @Override
    public boolean isExpired() {
        return invalidated || store.expired(lastAccess, maxIdle);
    }

    void accessed(Instant now) {
        lastAccess = now;
    }

    @Override
    public Instant getCreationTime() {
        return createdAt;
    }

    @Override
    public Instant getLastAccessTime() {
        return lastAccess;
    }

    @Override
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdle = maxIdleTime;
    }

    @Override
    public Duration getMaxIdleTime() {
        return maxIdle;
    }
}
