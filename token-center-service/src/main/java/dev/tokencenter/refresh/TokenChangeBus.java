package dev.tokencenter.refresh;

import dev.tokencenter.redis.Subscriptions;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "token changed" topic: a new token (sealed) is published on Redis pub/sub, by the script that stores it
 * ({@link RedisTokenStore#save}), so that every instance's near cache takes it at once; the storing instance delivers
 * it locally too. Listeners also get "latest sequence" hints from the scheduler, a safety net for a message lost while
 * Redis was unreachable.
 */
@Component
public class TokenChangeBus implements DisposableBean {

    /** Receives tokens (decrypted) as they change, on a Redis or refresh worker thread: must not block. */
    public interface Listener {

        void tokenChanged(CurrentToken token);

        /**
         * Whether this listener already holds the credential's token of {@code sequence} or a newer one (or takes no
         * tokens at all): when every listener does, the token is not decrypted again, e.g. the storing instance's own
         * message, which arrives after it delivered the token locally.
         */
        default boolean holds(long upstreamId, long sequence) {
            return false;
        }

        /** The shared state holds {@code sequence} for this credential: reload if yours is older. */
        void latestSequence(long upstreamId, long sequence);

        /** Only these upstream credentials are served any more (the others were deleted or disabled): drop the rest. */
        void servedOnly(Set<Long> upstreamIds);
    }

    private static final Logger log = LoggerFactory.getLogger(TokenChangeBus.class);

    private final RTopic topic;
    private final TokenCipher sealing;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> onSubscribed = new CopyOnWriteArrayList<>();
    private volatile Integer subscription;

    TokenChangeBus(RedissonClient redisson, RedisKeys keys, TokenCipher sealing) {
        this.topic = redisson.getTopic(keys.tokenChangedChannel(), StringCodec.INSTANCE);
        this.sealing = sealing;
    }

    public void subscribe(Listener listener) {
        listeners.add(listener);
        synchronized (this) {
            if (subscription == null) {
                subscription = Subscriptions.subscribe(topic.getChannelNames().get(0),
                        () -> topic.addListener(String.class, (channel, message) -> receive(message)));
                BaseStatusListener subscribed = new BaseStatusListener() {
                    @Override
                    public void onSubscribe(String channel) {
                        onSubscribed.forEach(Runnable::run);
                    }
                };
                Subscriptions.subscribe(topic.getChannelNames().get(0), () -> topic.addListener(subscribed));
            }
        }
    }

    /**
     * Runs (on a Redisson thread; must not block) each time the topic is subscribed again, e.g. after the connection
     * was lost: messages published meanwhile never arrive.
     */
    void onSubscribed(Runnable action) {
        onSubscribed.add(action);
    }

    void hintLatest(long upstreamId, long sequence) {
        for (Listener listener : listeners) {
            listener.latestSequence(upstreamId, sequence);
        }
    }

    void servedOnly(Set<Long> upstreamIds) {
        for (Listener listener : listeners) {
            listener.servedOnly(upstreamIds);
        }
    }

    private void receive(String message) {
        try {
            deliverLocally(RedisTokenStore.JSON.readValue(message, StoredToken.class));
        } catch (RuntimeException e) {
            log.warn("ignored an unreadable token-changed message: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * Hands a token to this instance's listeners only (its own new token, one Redis could not take, a message heard);
     * opened only when some listener does not hold its sequence yet.
     */
    void deliverLocally(StoredToken stored) {
        if (listeners.stream().allMatch(listener -> listener.holds(stored.upstreamId(), stored.sequence()))) {
            return;
        }
        CurrentToken token = sealing.open(stored);
        for (Listener listener : listeners) {
            listener.tokenChanged(token);
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
