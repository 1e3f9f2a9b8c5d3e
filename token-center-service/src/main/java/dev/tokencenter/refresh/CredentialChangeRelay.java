package dev.tokencenter.refresh;

import dev.tokencenter.redis.Subscriptions;
import dev.tokencenter.registry.CredentialChangedEvent;
import dev.tokencenter.registry.CredentialKey;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Applies registry changes: the instance where the change was committed reloads its catalog, relays the change on
 * Redis pub/sub (other instances reload theirs), and resumes a stopped or paused credential (or refetches when its
 * AppID changed) under the credential's lock. The shared state of an upstream credential that no environment names any more is dropped.
 */
@Component
class CredentialChangeRelay implements DisposableBean {

    /** What travels on the channel: ids only, never a secret. */
    record Relayed(long environmentId, CredentialChangedEvent.Change change, String origin) {
    }

    private static final Logger log = LoggerFactory.getLogger(CredentialChangeRelay.class);

    private final CredentialCatalog catalog;
    private final RefreshEngine engine;
    private final RedisTokenStore store;
    private final TokenStateStore database;
    private final RTopic topic;
    private final String instanceId;
    private final int subscription;

    CredentialChangeRelay(CredentialCatalog catalog, RefreshEngine engine, RedisTokenStore store,
                          TokenStateStore database, RedissonClient redisson, RedisKeys keys, InstanceIdentity identity) {
        this.catalog = catalog;
        this.engine = engine;
        this.store = store;
        this.database = database;
        this.topic = redisson.getTopic(keys.credentialChangedChannel(), StringCodec.INSTANCE);
        this.instanceId = identity.id();
        this.subscription = Subscriptions.subscribe(topic.getChannelNames().get(0),
                () -> topic.addListener(String.class, (channel, message) -> receive(message)));
    }

    @EventListener
    void on(CredentialChangedEvent event) {
        Long upstreamBefore = catalog.find(event.environmentId()).map(CatalogEntry::upstreamId).orElse(null);
        readOwnChange(event);
        engine.execute(() -> {
            try {
                catalog.reload();
                topic.publish(RedisTokenStore.JSON.writeValueAsString(
                        new Relayed(event.environmentId(), event.change(), instanceId)));
                if (upstreamBefore != null && catalog.sharing(upstreamBefore).isEmpty()) {
                    // no environment names that upstream credential any more (deleted, or its AppID changed)
                    store.forget(upstreamBefore);
                    database.forget(upstreamBefore);
                }
                apply(event);
            } catch (RuntimeException e) {
                log.warn("could not apply the change of {}/{}/{}: {}", event.tenant(), event.app(), event.env(), e.toString());
            }
        });
    }

    /**
     * The changed credential is read at once, on the thread that committed it (one row), so that this instance's next
     * read already sees it (a disabled credential is not served a moment longer); the full reload follows on a worker.
     */
    private void readOwnChange(CredentialChangedEvent event) {
        if (event.change() == CredentialChangedEvent.Change.DELETED) {
            return;
        }
        try {
            catalog.reload(new CredentialKey(event.tenant(), event.app(), event.env()));
        } catch (RuntimeException e) {
            log.debug("could not read the change of {}/{}/{} at once: {}", event.tenant(), event.app(), event.env(),
                    e.getClass().getSimpleName());
        }
    }

    private void apply(CredentialChangedEvent event) {
        switch (event.change()) {
            case CREATED, DELETED, DISABLED -> {
                // the scheduler fetches a new credential's first token on its next tick; what nobody names any more
                // was forgotten above; disabled environments are skipped by the scheduler
            }
            default -> catalog.find(event.environmentId()).filter(CatalogEntry::enabled).ifPresent(engine::credentialChanged);
        }
    }

    private void receive(String message) {
        try {
            Relayed relayed = RedisTokenStore.JSON.readValue(message, Relayed.class);
            if (!instanceId.equals(relayed.origin())) {
                catalog.reloadInBackground();
            }
        } catch (RuntimeException e) {
            log.warn("ignored an unreadable credential-changed message: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        topic.removeListener(subscription);
    }
}
