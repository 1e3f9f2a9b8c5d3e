package dev.tokencenter.client;

import dev.tokencenter.redis.RedisProperties;
import dev.tokencenter.redis.Subscriptions;
import jakarta.annotation.PreDestroy;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Carries client changes (revocation, new grants) to every instance within milliseconds: the instance where the
 * change was committed evicts at once and publishes the client id on a Redis topic; every instance evicts on the
 * message. After (re)subscribing, e.g. when Redis comes back, messages may have been missed, so everything is
 * evicted then.
 */
@Component
class ApiClientChangeFanout {

    private static final Logger log = LoggerFactory.getLogger(ApiClientChangeFanout.class);

    private final ApiClientDirectory directory;
    private final RTopic topic;
    private final int messageListener;
    private final int statusListener;

    ApiClientChangeFanout(ApiClientDirectory directory, RedissonClient redisson, RedisProperties redis) {
        this.directory = directory;
        this.topic = redisson.getTopic(channel(redis.database()), StringCodec.INSTANCE);
        this.messageListener = Subscriptions.subscribe(topic.getChannelNames().get(0),
                () -> topic.addListener(String.class, (channel, clientId) -> directory.changed(clientId)));
        BaseStatusListener resubscribed = new BaseStatusListener() {
            @Override
            public void onSubscribe(String channel) {
                directory.reloadAll();
            }
        };
        this.statusListener = Subscriptions.subscribe(topic.getChannelNames().get(0), () -> topic.addListener(resubscribed));
    }

    /**
     * Pub/sub channels are global to a Redis server, so the name carries the database index, like every other channel
     * of the service: deployments that share a server on different databases do not hear each other.
     */
    static String channel(int database) {
        return "token-center:db" + database + ":api-client-changed";
    }

    @EventListener
    void onClientChanged(ApiClientChangedEvent event) {
        directory.changed(event.clientId());
        topic.publishAsync(event.clientId()).whenComplete((receivers, error) -> {
            if (error != null) {
                log.warn("Could not announce the change of API client {} to other instances "
                        + "(they pick it up within the cache refresh interval): {}", event.clientId(), error.toString());
            }
        });
    }

    @PreDestroy
    void unsubscribe() {
        topic.removeListener(messageListener, statusListener);
    }
}
