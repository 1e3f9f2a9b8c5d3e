package dev.tokencenter.refresh;

import dev.tokencenter.redis.Subscriptions;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The "ticket changed" topic, a sibling of {@link TokenChangeBus}: a new JS-SDK ticket (sealed) is published so that
 * every instance's ticket cache takes it at once; the publishing instance delivers it locally too.
 */
@Component
class TicketChangeBus implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TicketChangeBus.class);

    private final RTopic topic;
    private final TokenCipher sealing;
    private final List<Consumer<CurrentTicket>> listeners = new CopyOnWriteArrayList<>();
    private volatile Integer subscription;

    TicketChangeBus(RedissonClient redisson, RedisKeys keys, TokenCipher sealing) {
        this.topic = redisson.getTopic(keys.ticketChangedChannel(), StringCodec.INSTANCE);
        this.sealing = sealing;
    }

    /** {@code listener} runs on a Redis or refresh worker thread: it must not block. */
    void subscribe(Consumer<CurrentTicket> listener) {
        listeners.add(listener);
        synchronized (this) {
            if (subscription == null) {
                subscription = Subscriptions.subscribe(topic.getChannelNames().get(0),
                        () -> topic.addListener(String.class, (channel, message) -> receive(message)));
            }
        }
    }

    void publish(StoredTicket ticket) {
        deliverLocally(ticket);
        try {
            topic.publish(RedisTokenStore.JSON.writeValueAsString(ticket));
        } catch (RuntimeException e) {
            log.warn("ticket stored but not announced ({}); other instances read it from Redis", e.getClass().getSimpleName());
        }
    }

    private void receive(String message) {
        try {
            deliverLocally(RedisTokenStore.JSON.readValue(message, StoredTicket.class));
        } catch (RuntimeException e) {
            log.warn("ignored an unreadable ticket-changed message: {}", e.getClass().getSimpleName());
        }
    }

    private void deliverLocally(StoredTicket stored) {
        if (listeners.isEmpty()) {
            return;
        }
        CurrentTicket ticket = sealing.openTicket(stored);
        for (Consumer<CurrentTicket> listener : listeners) {
            listener.accept(ticket);
        }
    }

    @Override
    public void destroy() {
        Integer id = subscription;
        if (id != null) {
            topic.removeListener(id);
        }
    }
}
