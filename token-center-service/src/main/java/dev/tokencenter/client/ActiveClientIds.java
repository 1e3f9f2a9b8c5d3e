package dev.tokencenter.client;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ids of the active clients, in memory: read at start-up and every {@code known-ids-reload}, added to when a
 * client changes. An id found here is looked up in PostgreSQL without limit (there are only as many as there are
 * clients); any other id is made up, revoked, or created a moment ago on another instance, and its lookups are
 * throttled. A revoked id may stay here until the next reload: it then costs one query per {@code unknown-ttl}.
 */
@Component
class ActiveClientIds {

    private static final Logger log = LoggerFactory.getLogger(ActiveClientIds.class);

    private final ApiClientStore store;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private final Disposable schedule;
    private volatile Set<String> ids = ConcurrentHashMap.newKeySet();
    /** Ids added while a reload runs, so that the reloaded set does not lose them. */
    private volatile Set<String> addedDuringReload;

    ActiveClientIds(ApiClientStore store, ClientKeyCacheProperties properties) {
        this.store = store;
        this.schedule = Flux.interval(Duration.ZERO, properties.knownIdsReload())
                .onBackpressureDrop()
                .subscribe(tick -> reloadSoon());
    }

    boolean contains(String clientId) {
        return ids.contains(clientId);
    }

    void add(String clientId) {
        ids.add(clientId);
        Set<String> pending = addedDuringReload;
        if (pending != null) {
            pending.add(clientId);
        }
    }

    /** Re-reads the ids on a bounded-elastic thread, unless a reload is already under way. */
    void reloadSoon() {
        if (!reloading.compareAndSet(false, true)) {
            return;
        }
        Mono.fromRunnable(this::reload)
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> reloading.set(false))
                .subscribe(null, error -> log.warn("Could not read the ids of the active API clients "
                        + "(unknown ids stay throttled until the next reload): {}", error.toString()));
    }

    private void reload() {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        addedDuringReload = pending;
        try {
            Set<String> fresh = ConcurrentHashMap.newKeySet();
            fresh.addAll(store.activeIds());
            fresh.addAll(pending);
            ids = fresh;
            fresh.addAll(pending);
        } finally {
            addedDuringReload = null;
        }
    }

    @PreDestroy
    void stop() {
        schedule.dispose();
    }
}
