package dev.tokencenter.refresh;

import dev.tokencenter.redis.Subscriptions;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The "status changed" topic: whenever an instance writes a settled status of an upstream credential (not the
 * transient REFRESHING), it feeds its own due index and tells the other instances, whose due indexes and near caches
 * follow. A lost message is repaired by the scheduler's next full resync. Carries the status (no token, no secret).
 */
@Component
class RefreshStatusTopic implements DisposableBean {

    /** What travels on the channel. */
    record StatusChanged(long upstreamId, RefreshStatus status, String origin) {
    }

    private static final Logger log = LoggerFactory.getLogger(RefreshStatusTopic.class);

    private final RTopic topic;
    private final DueIndex due;
    private final TokenChangeBus tokens;
    private final String instanceId;
    private final int subscription;
    private final RefreshStatusEvents events;
    private final ChangedStatuses changedStatuses;

    RefreshStatusTopic(RedissonClient redisson, RedisKeys keys, DueIndex due, TokenChangeBus tokens,
                       InstanceIdentity identity, RefreshStatusEvents events, ChangedStatuses changedStatuses) {
        this.events = events;
        this.changedStatuses = changedStatuses;
        this.topic = redisson.getTopic(keys.statusChangedChannel(), StringCodec.INSTANCE);
        this.due = due;
        this.tokens = tokens;
        this.instanceId = identity.id();
        this.subscription = Subscriptions.subscribe(topic.getChannelNames().get(0),
                () -> topic.addListener(String.class, (channel, message) -> receive(message)));
    }

    /** A status this instance wrote: indexed here at once, announced without waiting (fire and forget). */
    void written(long upstreamId, RefreshStatus status) {
        announced(upstreamId, status);
        String message = announcement(upstreamId, status);
        if (message == null) {
            return;
        }
        try {
            topic.publishAsync(message)
                    .exceptionally(e -> {
                        log.debug("status change of {} not announced: {}", upstreamId, e.getClass().getSimpleName());
                        return null;
                    });
        } catch (RuntimeException e) {
            // the status is stored; the next full resync spreads it
            log.debug("status change of {} not announced: {}", upstreamId, e.getClass().getSimpleName());
        }
    }

    /** The message announcing a status this instance writes; null for REFRESHING, which is not announced. */
    String announcement(long upstreamId, RefreshStatus status) {
        return status.state() == RefreshState.REFRESHING ? null
                : RedisTokenStore.JSON.writeValueAsString(new StatusChanged(upstreamId, status, instanceId));
    }

    /** A status this instance wrote and announced in the same step ({@link #announcement}): indexed here at once. */
    void announced(long upstreamId, RefreshStatus status) {
        events.written(upstreamId, status);
        if (status.state() == RefreshState.REFRESHING) {
            return;
        }
        try {
            due.update(upstreamId, status);
        } catch (RuntimeException e) {
            // the status is stored; the next full resync indexes it
            log.debug("status change of {} not indexed: {}", upstreamId, e.getClass().getSimpleName());
        }
    }

    private void receive(String message) {
        try {
            StatusChanged changed = RedisTokenStore.JSON.readValue(message, StatusChanged.class);
            if (instanceId.equals(changed.origin())) {
                return;
            }
            due.update(changed.upstreamId(), changed.status());
            changedStatuses.changed(changed.upstreamId());
            if (changed.status().hasToken()) {
                tokens.hintLatest(changed.upstreamId(), changed.status().sequence());
            }
        } catch (RuntimeException e) {
            log.warn("ignored an unreadable status-changed message: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        topic.removeListener(subscription);
    }
}
