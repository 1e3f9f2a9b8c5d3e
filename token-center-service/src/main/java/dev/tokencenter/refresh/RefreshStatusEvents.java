package dev.tokencenter.refresh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Tells the rest of the service ({@link RefreshStatusChangedEvent}) about every status this instance writes, and notes
 * the change for monitoring ({@link ChangedStatuses}).
 */
@Component
class RefreshStatusEvents {

    private static final Logger log = LoggerFactory.getLogger(RefreshStatusEvents.class);

    private final ApplicationEventPublisher publisher;
    private final ObjectProvider<CredentialCatalog> catalog;
    private final ChangedStatuses changed;

    RefreshStatusEvents(ApplicationEventPublisher publisher, ObjectProvider<CredentialCatalog> catalog,
                        ChangedStatuses changed) {
        this.publisher = publisher;
        this.catalog = catalog;
        this.changed = changed;
    }

    /** Never fails the write it reports: listeners must not block, and a failing one is logged. */
    void written(long upstreamId, RefreshStatus status) {
        changed.changed(upstreamId);
        try {
            List<RefreshStatusChangedEvent.Environment> environments = catalog.getObject().sharing(upstreamId).stream()
                    .map(entry -> new RefreshStatusChangedEvent.Environment(entry.environmentId(), entry.key()))
                    .toList();
            publisher.publishEvent(new RefreshStatusChangedEvent(upstreamId, environments, status));
        } catch (RuntimeException e) {
            log.debug("status change of {} not published: {}", upstreamId, e.getClass().getSimpleName());
        }
    }
}
