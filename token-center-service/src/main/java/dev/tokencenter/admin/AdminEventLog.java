package dev.tokencenter.admin;

import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.redis.Subscriptions;
import org.redisson.api.RStream;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The admin events of the whole cluster: one capped Redis stream ({@code XADD MAXLEN ~}, written by
 * {@link AdminEventWriter}), whose ids are the ids the browsers resume from on any instance, and a pub/sub nudge that
 * tells every instance to read what is new. Every call is asynchronous and bounded.
 */
@Component
class AdminEventLog {

    static final String STREAM = "token-center:admin-events";

    private final RStream<String, String> stream;
    private final RTopic nudges;
    private final String channel;
    private final Duration bound;

    AdminEventLog(RedissonClient redisson, RedisProperties redis) {
        this.stream = redisson.getStream(STREAM, StringCodec.INSTANCE);
        this.nudges = redisson.getTopic("token-center:db" + redis.database() + ":admin-events", StringCodec.INSTANCE);
        this.channel = nudges.getChannelNames().get(0);
        this.bound = redis.commandBound().multipliedBy(2);
    }

    /** The pub/sub channel on which appended events are announced (see {@link AdminEventWriter}). */
    String nudgeChannel() {
        return channel;
    }

    /** Events after {@code id} (exclusive), oldest first, at most {@code count}. */
    Mono<List<AdminEvent>> after(String id, int count) {
        long[] parsed = AdminEvent.parse(id);
        StreamMessageId start = new StreamMessageId(parsed[0], parsed[1]);
        return Mono.fromCompletionStage(() -> stream.rangeAsync(StreamRangeArgs.startIdExclusive(start)
                        .endId(StreamMessageId.MAX).count(count)))
                .map(AdminEventLog::events)
                .timeout(bound);
    }

    /** The id of the newest event, {@code 0-0} when there is none. */
    Mono<String> newestId() {
        return Mono.fromCompletionStage(() -> stream.rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN))
                .map(found -> found.isEmpty() ? "0-0" : found.keySet().iterator().next().toString())
                .timeout(bound);
    }

    /** Calls {@code listener} with the event's id whenever an instance appended an event. */
    int onAppended(Consumer<String> listener) {
        return Subscriptions.subscribe(nudges.getChannelNames().get(0),
                () -> nudges.addListener(String.class, (channel, id) -> listener.accept(id)));
    }

    void stopListening(int listenerId) {
        nudges.removeListener(listenerId);
    }

    private static List<AdminEvent> events(Map<StreamMessageId, Map<String, String>> entries) {
        List<AdminEvent> events = new ArrayList<>(entries.size());
        entries.forEach((id, fields) -> {
            AdminRole audience;
            try {
                audience = AdminRole.valueOf(fields.getOrDefault("audience", "ADMIN"));
            } catch (IllegalArgumentException e) {
                audience = AdminRole.ADMIN;
            }
            events.add(new AdminEvent(id.toString(), fields.getOrDefault("type", "unknown"), audience,
                    fields.getOrDefault("data", "{}")));
        });
        events.sort((a, b) -> AdminEvent.compareIds(a.id(), b.id()));
        return events;
    }
}
