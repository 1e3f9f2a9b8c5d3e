package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * While Redis cannot be reached, its pub/sub carries no new tokens and no statuses: this instance follows
 * {@code token_state} instead. Every {@link #POLL_PERIOD} it reads the rows written since its last look (all of them
 * first), hands a token newer than the one it delivered before to its near cache, and re-indexes the credential from
 * the row's status, so that what another instance refreshed meanwhile is neither fetched again nor missed. It goes on
 * for a while after Redis answers again: Redisson subscribes the topics again only once its pub/sub connection is
 * back, which can take seconds longer, and a token announced before that never arrives. So it follows until two polls
 * after the "token changed" topic is subscribed again, and at most {@link #AFTER_RETURN}. Nothing happens otherwise.
 */
@Component
class OutageFollower implements DisposableBean {

    static final Duration POLL_PERIOD = Duration.ofSeconds(1);
    /** Rows are re-read this far behind the newest one seen: a write that committed late is not skipped. */
    private static final Duration OVERLAP = Duration.ofSeconds(2);
    static final Duration AFTER_RETURN = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(OutageFollower.class);

    private final RedisBreaker breaker;
    private final TokenStateStore database;
    private final CredentialCatalog catalog;
    private final TokenChangeBus bus;
    private final DueIndex due;
    private final RefreshEngine engine;
    private final Map<Long, Long> delivered = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outage-follower");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant watermark;
    private volatile long followUntilNanos = System.nanoTime();

    OutageFollower(RedisBreaker breaker, TokenStateStore database, CredentialCatalog catalog, TokenChangeBus bus,
                   DueIndex due, RefreshEngine engine) {
        this.breaker = breaker;
        this.database = database;
        this.catalog = catalog;
        this.bus = bus;
        this.due = due;
        this.engine = engine;
        breaker.onOpened(() -> poller.execute(this::poll));
        breaker.onClosed(() -> followUntilNanos = System.nanoTime() + AFTER_RETURN.toNanos());
        bus.onSubscribed(() -> followUntilNanos = Math.min(followUntilNanos,
                System.nanoTime() + POLL_PERIOD.multipliedBy(2).toNanos()));
        poller.scheduleWithFixedDelay(this::poll, POLL_PERIOD.toMillis(), POLL_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    void poll() {
        if (!breaker.isOpen() && System.nanoTime() - followUntilNanos > 0) {
            watermark = null;
            delivered.clear();
            return;
        }
        try {
            Instant since = watermark;
            List<TokenStateStore.Row> rows = since == null
                    ? database.readAll(catalog.refreshUnits().stream().map(CatalogEntry::upstreamId).toList())
                    : database.changedSince(since.minus(OVERLAP));
            Set<Long> inFlight = engine.refreshingHere();
            Instant newest = since == null ? Instant.EPOCH : since;
            for (TokenStateStore.Row row : rows) {
                if (row.status().updatedAt() != null && row.status().updatedAt().isAfter(newest)) {
                    newest = row.status().updatedAt();
                }
                try {
                    follow(row, inFlight);
                } catch (RuntimeException e) {
                    log.debug("token_state of {} not followed: {}", row.upstreamId(), e.getClass().getSimpleName());
                }
            }
            watermark = newest;
        } catch (RuntimeException e) {
            log.debug("token_state not followed this time: {}", e.getClass().getSimpleName());
        }
    }

    private void follow(TokenStateStore.Row row, Set<Long> inFlight) {
        long upstreamId = row.upstreamId();
        if (catalog.refreshable(upstreamId).isEmpty()) {
            return;
        }
        row.token().ifPresent(token -> {
            Long before = delivered.get(upstreamId);
            if (before == null || token.sequence() > before) {
                delivered.put(upstreamId, token.sequence());
                bus.deliverLocally(token);
            }
        });
        if (!inFlight.contains(upstreamId)) {
            due.update(upstreamId, row.status());
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
    }
}
