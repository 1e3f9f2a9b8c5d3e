package dev.tokencenter.admin;

import dev.tokencenter.client.ApiClientChangedEvent;
import dev.tokencenter.refresh.LastError;
import dev.tokencenter.refresh.RefreshState;
import dev.tokencenter.refresh.RefreshStatus;
import dev.tokencenter.refresh.RefreshStatusChangedEvent;
import dev.tokencenter.registry.CredentialChangedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Turns what happens in the service into admin events: refresh starts and outcomes (also kept as each environment's
 * refresh history), credential changes, API client changes, admin user changes. Each event is written once, by the
 * instance where it happened; nothing here waits on Redis (a lost write is logged and the UI's next full read
 * repairs it). Events carry no token, secret or key.
 */
@Component
class AdminEventSources {

    record EnvironmentRef(String tenant, String app, String env, long environmentId) {
    }

    record RefreshEvent(List<EnvironmentRef> environments, long upstreamId, RefreshState state, String trigger,
                        Integer errcode, String message, String ip, Instant expiresAt, Instant obtainedAt,
                        Instant nextRefreshAt, Instant pausedUntil, String refreshedBy, Instant at) {
    }

    record HistoryEntry(Instant at, RefreshState state, String trigger, Integer errcode, String message,
                        Instant expiresAt, String refreshedBy) {
    }

    record CredentialEvent(String tenant, String app, String env, long environmentId, String change) {
    }

    record ClientEvent(String tenant, String clientId, boolean revoked) {
    }

    private final AdminEventWriter writer;

    AdminEventSources(AdminEventWriter writer) {
        this.writer = writer;
    }

    @EventListener
    void on(RefreshStatusChangedEvent changed) {
        RefreshStatus status = changed.status();
        LastError error = status.lastError();
        boolean failed = status.state() == RefreshState.RETRYING || status.state() == RefreshState.STOPPED
                || status.state() == RefreshState.PAUSED;
        Instant at = status.updatedAt() != null ? status.updatedAt() : Instant.now();
        List<EnvironmentRef> environments = changed.environments().stream()
                .map(e -> new EnvironmentRef(e.key().tenant(), e.key().app(), e.key().env(), e.environmentId())).toList();
        append("refresh", AdminRole.VIEWER, new RefreshEvent(environments, changed.upstreamId(), status.state(),
                status.lastTrigger(), failed && error != null ? error.errcode() : null,
                failed && error != null ? error.message() : null, failed && error != null ? error.ip() : null,
                status.expiresAt(), status.obtainedAt(), status.nextRefreshAt(), status.pausedUntil(),
                status.refreshedBy(), at));
        if (status.state() != RefreshState.REFRESHING) {
            String entry = AdminEventJson.JSON.writeValueAsString(new HistoryEntry(at, status.state(), status.lastTrigger(),
                    failed && error != null ? error.errcode() : null, failed && error != null ? error.message() : null,
                    status.expiresAt(), status.refreshedBy()));
            environments.forEach(environment -> writer.history(environment.environmentId(), entry));
        }
    }

    @EventListener
    void on(CredentialChangedEvent changed) {
        append("credential", AdminRole.VIEWER, new CredentialEvent(changed.tenant(), changed.app(), changed.env(),
                changed.environmentId(), changed.change().name()));
    }

    @EventListener
    void on(ApiClientChangedEvent changed) {
        append("client", AdminRole.VIEWER, new ClientEvent(changed.tenant(), changed.clientId(), changed.revoked()));
    }

    @EventListener
    void on(AdminUserChangedEvent changed) {
        append("admin-user", AdminRole.ADMIN, changed);
    }

    private void append(String type, AdminRole audience, Object data) {
        writer.event(type, audience, AdminEventJson.JSON.writeValueAsString(data));
    }
}
