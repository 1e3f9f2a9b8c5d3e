package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves JS-SDK tickets: this instance's ticket cache (kept current by the "ticket changed" topic), then Redis, else
 * one ticket-only attempt the reader waits for (bounded by {@code read-wait}). Asking enrols the credential's kind (a
 * Redis marker, renewed at most once per {@code enrolment-renewal} per instance), so that token refreshes fetch its
 * ticket from then on; a ticket that is due is renewed in the background while it is still served. Never blocks the
 * calling thread. Callers make sure a usable token exists first (the token read path fetches it).
 */
@Component
public class TicketService {

    private static final Logger log = LoggerFactory.getLogger(TicketService.class);

    private final TicketCache cache = new TicketCache();
    private final TicketStore store;
    private final TokenCipher sealing;
    private final TicketRequests requests;
    private final TicketProperties properties;
    private final Duration readWait;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> enrolledAt = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> askedAheadAt = new ConcurrentHashMap<>();

    TicketService(TicketStore store, TokenCipher sealing, TicketChangeBus bus, TokenChangeBus tokenBus,
                  TicketRequests requests, TicketProperties properties, RefreshProperties refresh, Clock clock) {
        this.store = store;
        this.sealing = sealing;
        this.requests = requests;
        this.properties = properties;
        this.readWait = refresh.readWait();
        this.clock = clock;
        if (properties.minimumLifetime().compareTo(readWait) >= 0) {
            throw new IllegalStateException("token-center.jssdk.minimum-lifetime must be below token-center.refresh.read-wait:"
                    + " WeChat hands out the held ticket until it expires, so readers wait that long for the next one");
        }
        bus.subscribe(cache::offer);
        tokenBus.subscribe(new TokenChangeBus.Listener() {
            @Override
            public void tokenChanged(CurrentToken token) {
            }

            @Override
            public boolean holds(long upstreamId, long sequence) {
                return true; // takes no tokens
            }

            @Override
            public void latestSequence(long upstreamId, long sequence) {
            }

            @Override
            public void servedOnly(Set<Long> upstreamIds) {
                cache.retainOnly(upstreamIds);
            }
        });
    }

    /** A ticket with less than this left is never served. */
    public Duration minimumLifetime() {
        return properties.minimumLifetime();
    }

    /** The credential's ticket of this kind with more than the minimum lifetime left. */
    public Mono<CurrentTicket> current(CatalogEntry entry, TicketEndpoint kind) {
        if (!TicketKinds.of(entry).contains(kind)) {
            return Mono.error(new IllegalArgumentException("no " + kind.label() + " ticket for " + entry.platform()));
        }
        return enrol(entry.upstreamId(), kind).then(Mono.defer(() -> {
            CurrentTicket cached = cache.get(entry.upstreamId(), kind);
            if (usable(cached)) {
                return Mono.just(served(entry, cached));
            }
            long deadline = System.nanoTime() + readWait.toNanos();
            return store.readAsync(entry.upstreamId(), kind)
                    .flatMap(found -> {
                        found.map(sealing::openTicket).ifPresent(cache::offer);
                        CurrentTicket shared = cache.get(entry.upstreamId(), kind);
                        return usable(shared) ? Mono.just(served(entry, shared)) : awaitTicket(entry, kind, deadline);
                    });
        })).timeout(readWait, Mono.error(() -> notYet(entry, kind)));
    }

    /** No usable ticket: fail fast while a limit holds the kind, otherwise ask for one attempt and wait for its ticket. */
    private Mono<CurrentTicket> awaitTicket(CatalogEntry entry, TicketEndpoint kind, long deadline) {
        return store.errorAsync(entry.upstreamId(), kind).flatMap(error -> {
            Instant now = clock.instant();
            if (error.isPresent() && error.get().limited() && error.get().notBefore().isAfter(now)) {
                return Mono.error(unavailable(entry, kind, error.get(), now));
            }
            Mono<CurrentTicket> next = Mono.defer(() -> Mono.fromFuture(cache.next(entry.upstreamId(), kind), true))
                    .filter(this::usable)
                    .repeatWhenEmpty(repeats -> repeats);
            Mono<CurrentTicket> attempt = Mono.fromFuture(requests.ticket(entry, kind), true)
                    .flatMap(outcome -> afterAttempt(entry, kind, outcome, deadline));
            return Mono.firstWithSignal(next, attempt);
        });
    }

    private Mono<CurrentTicket> afterAttempt(CatalogEntry entry, TicketEndpoint kind, TicketOutcome outcome, long deadline) {
        return switch (outcome.result()) {
            // stored here (then cached already) or by another instance (its message may still be on the way)
            case STORED, NOT_NEEDED -> Mono.justOrEmpty(cache.get(entry.upstreamId(), kind)).filter(this::usable)
                    .switchIfEmpty(Mono.defer(() -> store.readAsync(entry.upstreamId(), kind)
                            .flatMap(found -> Mono.justOrEmpty(found.map(sealing::openTicket)))
                            .doOnNext(cache::offer)
                            .filter(this::usable)))
                    .switchIfEmpty(Mono.defer(() -> retryAt(entry, kind, outcome.retryAt(), deadline)));
            // another instance (or attempt) is on it: its ticket arrives on the topic
            case RATE_LIMITED, BUSY -> Mono.never();
            case HELD, FAILED -> store.errorAsync(entry.upstreamId(), kind).flatMap(error -> Mono.error(error
                    .map(recorded -> unavailable(entry, kind, recorded, clock.instant()))
                    .orElseGet(() -> notYet(entry, kind))));
            case NO_TOKEN -> Mono.error(new TicketUnavailableException("no usable token of " + entry.key()
                    + " to fetch its " + kind.label() + " ticket with", Duration.ofSeconds(1)));
            case GONE -> Mono.error(new TicketUnavailableException(entry.key() + " is no longer served", null));
        };
    }

    /** WeChat answers the held ticket until it expires: ask again then, if that is before the reader's deadline. */
    private Mono<CurrentTicket> retryAt(CatalogEntry entry, TicketEndpoint kind, Instant retryAt, long deadline) {
        if (retryAt == null) {
            return Mono.never();
        }
        Duration wait = Duration.between(clock.instant(), retryAt).plusMillis(50);
        if (wait.isNegative() || System.nanoTime() + wait.toNanos() >= deadline) {
            return Mono.error(notYet(entry, kind));
        }
        return Mono.delay(wait).then(Mono.defer(() -> awaitTicket(entry, kind, deadline)));
    }

    private CurrentTicket served(CatalogEntry entry, CurrentTicket ticket) {
        Instant now = clock.instant();
        if (!ticket.renewableAt().isAfter(now) && askAhead(entry.upstreamId(), ticket.kind())) {
            requests.ticket(entry, ticket.kind());
        }
        return ticket;
    }

    /** A due ticket is renewed in the background; this instance asks at most once per on-demand interval. */
    private boolean askAhead(long upstreamId, TicketEndpoint kind) {
        long now = System.nanoTime();
        long spacing = properties.onDemandInterval().toNanos();
        String key = upstreamId + ":" + kind.label();
        Long last = askedAheadAt.get(key);
        return (last == null || now - last >= spacing)
                && (last == null ? askedAheadAt.putIfAbsent(key, now) == null : askedAheadAt.replace(key, last, now));
    }

    private Mono<Void> enrol(long upstreamId, TicketEndpoint kind) {
        long now = System.nanoTime();
        String key = upstreamId + ":" + kind.label();
        Long last = enrolledAt.get(key);
        if (last != null && now - last < properties.enrolmentRenewal().toNanos()) {
            return Mono.empty();
        }
        enrolledAt.put(key, now);
        return store.enrol(upstreamId, kind, properties.enrolment()).onErrorResume(e -> {
            enrolledAt.remove(key);
            log.debug("enrolment of {} not written: {}", key, e.getClass().getSimpleName());
            return Mono.empty();
        });
    }

    private boolean usable(CurrentTicket ticket) {
        return ticket != null && ticket.usableAt(clock.instant(), properties.minimumLifetime());
    }

    private TicketUnavailableException unavailable(CatalogEntry entry, TicketEndpoint kind, TicketError error, Instant now) {
        Duration retryAfter = error.notBefore() == null || !error.notBefore().isAfter(now)
                ? Duration.ofSeconds(1) : Duration.between(now, error.notBefore());
        String cause = error.errcode() == null ? error.message() : "errcode " + error.errcode();
        return new TicketUnavailableException("the " + kind.label() + " ticket of " + entry.key() + " cannot be fetched now ("
                + cause + (error.limited() ? "; held until the limit resets" : "") + ")", retryAfter);
    }

    private static TicketUnavailableException notYet(CatalogEntry entry, TicketEndpoint kind) {
        return new TicketUnavailableException("no " + kind.label() + " ticket with the minimum lifetime is available yet for "
                + entry.key(), Duration.ofSeconds(1));
    }
}
