package dev.tokencenter.admin;

import dev.tokencenter.redis.RedisProperties;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes admin events and refresh history entries to Redis in the order they are given, one script at a time: what
 * piles up while a script is in flight goes out together in the next one (one round trip and one nudge for up to
 * {@value #MOST_PER_SCRIPT} writes), so a burst of refreshes costs a few round trips instead of three per refresh,
 * and a lone event still goes out at once. Never blocks or fails the caller: beyond {@value #MOST_PENDING} waiting
 * writes, new ones are dropped, and a script that fails drops its writes; both are logged at debug level (the UI's
 * next full read shows the state anyway).
 */
@Component
class AdminEventWriter {

    static final int MOST_PER_SCRIPT = 256;
    static final int MOST_PENDING = 20_000;

    private static final Logger log = LoggerFactory.getLogger(AdminEventWriter.class);

    /**
     * KEYS: the event stream, then one history list per history entry, in the order of the entries. ARGV: the stream's
     * approximate maximum length, the history length, the history's retention in seconds, the nudge channel, then the
     * writes: {@code e, type, audience, data} for an event, {@code h, entry} for a history entry. Appends the events
     * (capped as {@code XADD MAXLEN ~} does), pushes each entry onto its list (capped, retention renewed), and publishes
     * the id of the last event on the nudge channel; returns that id (nil without events).
     */
    private static final String WRITE = """
            local last = false
            local list = 2
            local i = 5
            while i <= #ARGV do
              if ARGV[i] == 'e' then
                last = redis.call('xadd', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[i + 1],
                                  'audience', ARGV[i + 2], 'data', ARGV[i + 3])
                i = i + 4
              else
                redis.call('lpush', KEYS[list], ARGV[i + 1])
                redis.call('ltrim', KEYS[list], 0, tonumber(ARGV[2]) - 1)
                redis.call('expire', KEYS[list], ARGV[3])
                list = list + 1
                i = i + 2
              end
            end
            if last then
              redis.call('publish', ARGV[4], last)
            end
            return last
            """;

    private sealed interface Write {
    }

    private record Event(String type, AdminRole audience, String data) implements Write {
    }

    private record HistoryEntry(long environmentId, String entry) implements Write {
    }

    private final RScript script;
    private final String channel;
    private final int maxLength;
    private final int historyLength;
    private final Duration bound;
    private final Queue<Write> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();

    AdminEventWriter(RedissonClient redisson, AdminEventLog eventLog, RedisProperties redis,
                     AdminEventProperties properties) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.channel = eventLog.nudgeChannel();
        this.maxLength = properties.maxLength();
        this.historyLength = properties.historyLength();
        this.bound = redis.commandBound().multipliedBy(2);
    }

    /** Appends an event to the cluster's stream (and nudges every instance), after everything given before. */
    void event(String type, AdminRole audience, String data) {
        offer(new Event(type, audience, data));
    }

    /** Adds an outcome to an environment's refresh history, after everything given before. */
    void history(long environmentId, String entry) {
        offer(new HistoryEntry(environmentId, entry));
    }

    private void offer(Write write) {
        if (pendingCount.incrementAndGet() > MOST_PENDING) {
            pendingCount.decrementAndGet();
            log.debug("admin event writes dropped: {} are waiting for Redis already", MOST_PENDING);
            return;
        }
        pending.add(write);
        drain();
    }

    /** Sends what is pending unless a script is in flight already (whose completion sends what came meanwhile). */
    private void drain() {
        while (writing.compareAndSet(false, true)) {
            List<Write> batch = take();
            if (batch.isEmpty()) {
                writing.set(false);
                if (pending.isEmpty()) {
                    return;
                }
                continue;
            }
            CompletableFuture<Object> sent = send(batch);
            if (!sent.isDone()) {
                sent.whenComplete((id, failure) -> {
                    finished(batch, failure);
                    drain();
                });
                return;
            }
            finished(batch, sent.handle((id, failure) -> failure).join());
        }
    }

    private List<Write> take() {
        List<Write> batch = new ArrayList<>();
        Write write;
        while (batch.size() < MOST_PER_SCRIPT && (write = pending.poll()) != null) {
            batch.add(write);
        }
        pendingCount.addAndGet(-batch.size());
        return batch;
    }

    private CompletableFuture<Object> send(List<Write> batch) {
        List<Object> keys = new ArrayList<>();
        keys.add(AdminEventLog.STREAM);
        List<Object> args = new ArrayList<>(4 + batch.size() * 4);
        args.add(Integer.toString(maxLength));
        args.add(Integer.toString(historyLength));
        args.add(Long.toString(RefreshHistory.RETENTION.toSeconds()));
        args.add(channel);
        for (Write write : batch) {
            if (write instanceof Event event) {
                args.add("e");
                args.add(event.type());
                args.add(event.audience().name());
                args.add(event.data());
            } else if (write instanceof HistoryEntry entry) {
                keys.add(RefreshHistory.key(entry.environmentId()));
                args.add("h");
                args.add(entry.entry());
            }
        }
        try {
            return script.evalAsync(RScript.Mode.READ_WRITE, WRITE, RScript.ReturnType.VALUE, keys, args.toArray())
                    .toCompletableFuture().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Ends a script's turn: the next one may start. */
    private void finished(List<Write> batch, Throwable failure) {
        if (failure != null) {
            log.debug("{} admin event writes not made: {}", batch.size(), failure.getClass().getSimpleName());
        }
        writing.set(false);
    }
}
