package dev.tokencenter.refresh;

import dev.tokencenter.redis.RedisBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * When Redis answers again (the breaker closes), puts back what was obtained without it, from {@code token_state}:
 * the fence (raised, never lowered, so no attempt coordinated by Redis reuses one handed out by PostgreSQL), the token
 * and the status of every credential whose row holds a newer token than Redis (or Redis holds none: it restarted
 * empty), each written only if Redis has nothing as new, and today's quota counters, each raised to PostgreSQL's count
 * (which holds the calls made without Redis, and what Redis counted up to about a second before it went away) where
 * Redis holds fewer, never lowered. Restored statuses
 * go to every instance's due index, so nothing is fetched again. No upstream call is made here. Pub/sub listeners
 * resubscribe by themselves (Redisson), and an attempt coordinated by Redis reads the row under the advisory lock
 * anyway: this only makes Redis, the status API and the other instances current sooner.
 */
@Component
class RedisReconvergence implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisReconvergence.class);

    private final CredentialCatalog catalog;
    private final TokenStateStore database;
    private final RedisTokenStore store;
    private final QuotaAccounting quota;
    private final QuotaLedger ledger;
    private final TokenChangeBus bus;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "redis-reconvergence");
        thread.setDaemon(true);
        return thread;
    });

    RedisReconvergence(RedisBreaker breaker, CredentialCatalog catalog, TokenStateStore database, RedisTokenStore store,
                       QuotaAccounting quota, QuotaLedger ledger, TokenChangeBus bus, Clock clock) {
        this.catalog = catalog;
        this.database = database;
        this.store = store;
        this.quota = quota;
        this.ledger = ledger;
        this.bus = bus;
        this.clock = clock;
        breaker.onClosed(() -> worker.execute(this::reconverge));
    }

    void reconverge() {
        long started = System.nanoTime();
        try {
            List<Long> ids = catalog.refreshUnits().stream().map(CatalogEntry::upstreamId).toList();
            Map<Long, RefreshStatus> inRedis = store.statuses(ids);
            int restored = 0;
            for (TokenStateStore.Row row : database.readAll(ids)) {
                if (row.fence() > 0) {
                    store.raiseFence(row.upstreamId(), row.fence());
                }
                RefreshStatus held = inRedis.get(row.upstreamId());
                if (held == null || held.sequence() < row.status().sequence()) {
                    row.token().ifPresent(token -> store.restoreToken(token, clock.instant()));
                    if (store.restoreStatus(row.upstreamId(), row.status())) {
                        restored++;
                        row.token().ifPresent(token -> bus.hintLatest(row.upstreamId(), token.sequence()));
                    }
                }
            }
            List<QuotaLedger.Count> counted = ledger.onDay(ids, quota.quotaDay());
            quota.restore(counted);
            log.info("Redis reconverged from PostgreSQL in {} ms: {} of {} credential(s) restored, {} quota counter(s)"
                    + " raised to at least PostgreSQL's", (System.nanoTime() - started) / 1_000_000, restored, ids.size(),
                    counted.size());
        } catch (RuntimeException e) {
            log.warn("Redis not reconverged from PostgreSQL ({}); attempts under the advisory lock catch up one by one",
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
