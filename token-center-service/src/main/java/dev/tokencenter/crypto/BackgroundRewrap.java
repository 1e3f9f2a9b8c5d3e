package dev.tokencenter.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import jakarta.annotation.PreDestroy;

/** Runs {@link MasterKeyRewrap} in the background: once soon after startup, then on a fixed interval. */
@Component
class BackgroundRewrap {

    private static final Logger log = LoggerFactory.getLogger(BackgroundRewrap.class);

    private final MasterKeyRewrap rewrap;
    private final RewrapProperties properties;
    private volatile Disposable schedule;

    BackgroundRewrap(MasterKeyRewrap rewrap, RewrapProperties properties) {
        this.rewrap = rewrap;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!properties.enabled() || schedule != null) {
            return;
        }
        schedule = Flux.interval(properties.initialDelay(), properties.interval())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(rewrap::rewrapAll)
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorResume(e -> {
                            log.warn("Background re-wrap pass failed: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @PreDestroy
    void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
    }
}
