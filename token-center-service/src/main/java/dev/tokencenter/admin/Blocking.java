package dev.tokencenter.admin;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.concurrent.Callable;

/** Runs blocking registry work (JPA, JDBC, password hashing) off the event loop. */
final class Blocking {

    private Blocking() {
    }

    static <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    static Mono<Void> run(Runnable work) {
        return Mono.<Void>fromRunnable(work).subscribeOn(Schedulers.boundedElastic());
    }
}
