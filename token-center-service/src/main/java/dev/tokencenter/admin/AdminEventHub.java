package dev.tokencenter.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the cluster's {@link AdminEventLog} (read when nudged, and every {@code poll-period} in case a nudge was
 * lost) and hands each new event to the browsers connected to this instance. Each browser has its own bounded
 * buffer: one that does not keep up loses its stream (and resumes from its last event id), it never holds up the
 * others. Reads are serialized, so events reach every browser in stream order. While no browser is connected here
 * nothing is read: the nudges' ids tell how far the stream goes, so the first browser hears what follows, not a
 * backlog (a busy cluster appends two events per refresh).
 */
@Component
class AdminEventHub implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AdminEventHub.class);
    private static final int BATCH = 500;

    /** One connected browser. */
    final class Subscription {
        private final AdminRole role;
        private final Sinks.Many<AdminEvent> sink;
        private final Sinks.Empty<Void> dropped = Sinks.empty();

        private Subscription(AdminRole role) {
            this.role = role;
            this.sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(properties.subscriberBuffer()));
        }

        /** The events, ending at once (buffered ones left unsent) when the browser fell behind by a full buffer. */
        Flux<AdminEvent> events() {
            return sink.asFlux().takeUntilOther(dropped.asMono().then(Mono.just(true)));
        }

        void cancel() {
            subscriptions.remove(this);
        }
    }

    private final AdminEventLog eventLog;
    private final AdminEventProperties properties;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean readAgain = new AtomicBoolean();
    private volatile String lastSeen;
    private int listener;
    private Disposable poller;

    AdminEventHub(AdminEventLog eventLog, AdminEventProperties properties) {
        this.eventLog = eventLog;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        listener = eventLog.onAppended(this::nudged);
        poller = Flux.interval(properties.pollPeriod()).subscribe(tick -> readIfFollowed());
        read();
    }

    private void nudged(String id) {
        if (subscriptions.isEmpty()) {
            String seen = lastSeen;
            if (AdminEvent.isId(id) && (seen == null || AdminEvent.compareIds(id, seen) > 0)) {
                lastSeen = id;
            }
            return;
        }
        read();
    }

    private void readIfFollowed() {
        if (!subscriptions.isEmpty()) {
            read();
        }
    }

    /** A new browser: it gets every event read from now on that its role may see. */
    Subscription subscribe(AdminRole role) {
        Subscription subscription = new Subscription(role);
        subscriptions.add(subscription);
        return subscription;
    }

    int subscribers() {
        return subscriptions.size();
    }

    private void read() {
        if (!reading.compareAndSet(false, true)) {
            readAgain.set(true);
            return;
        }
        readAgain.set(false);
        Mono<List<AdminEvent>> batch = lastSeen == null
                ? eventLog.newestId().doOnNext(id -> lastSeen = id).thenReturn(List.of())
                : eventLog.after(lastSeen, BATCH);
        batch.subscribe(this::deliver, failure -> {
            log.debug("admin events not read: {}", failure.getClass().getSimpleName());
            finishRead(false);
        });
    }

    private void deliver(List<AdminEvent> events) {
        try {
            fanOut(events);
        } finally {
            finishRead(events.size() == BATCH);
        }
    }

    private void fanOut(List<AdminEvent> events) {
        for (AdminEvent event : events) {
            lastSeen = event.id();
            for (Subscription subscription : subscriptions) {
                if (subscription.role.ordinal() >= event.audience().ordinal()
                        && subscription.sink.tryEmitNext(event).isFailure()) {
                    subscriptions.remove(subscription);
                    subscription.dropped.tryEmitEmpty();
                }
            }
        }
    }

    private void finishRead(boolean more) {
        reading.set(false);
        if (more || readAgain.getAndSet(false)) {
            read();
        }
    }

    @Override
    public void destroy() {
        eventLog.stopListening(listener);
        if (poller != null) {
            poller.dispose();
        }
        subscriptions.forEach(subscription -> subscription.dropped.tryEmitEmpty());
        subscriptions.clear();
    }
}
