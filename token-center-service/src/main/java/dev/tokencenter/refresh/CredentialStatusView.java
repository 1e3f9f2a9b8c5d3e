package dev.tokencenter.refresh;

import dev.tokencenter.registry.TokenMode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One credential's refresh status as the admin API shows it (JSON in snake_case). Never holds a secret or a token.
 *
 * @param needsAttention STOPPED or PAUSED: an admin should look (secret, whitelist, quota, ...)
 * @param quotaUsedToday upstream calls made today (UTC+8 quota day), by endpoint path
 * @param refreshedBy    the instance that obtained the current token
 * @param upstreamId     the upstream credential this environment's token comes from
 * @param upstreamKey    its key ({@code wechat:<appid>:<mode>} or {@code wecom:<corpid>:...})
 * @param sharedWith     the other environments (tenant/app/env) that share it: one token, one refresh, one quota
 * @param tickets        the JS-SDK tickets the engine keeps for it (kinds clients asked for), with their last errors
 */
record CredentialStatusView(String tenant, String app, String env, long environmentId, String appid,
                            String platform, TokenMode tokenMode, boolean enabled, RefreshState state,
                            boolean needsAttention, Instant expiresAt, Instant obtainedAt, Instant nextRefreshAt,
                            String lastTrigger, LastError lastError, Instant pausedUntil,
                            Map<String, Long> quotaUsedToday, String refreshedBy, long upstreamId,
                            String upstreamKey, List<String> sharedWith, List<TicketView> tickets) {

    static CredentialStatusView of(CatalogEntry entry, List<CatalogEntry> sharing, RefreshStatus status,
                                   Map<String, Long> quotaUsedToday, List<TicketView> tickets) {
        RefreshStatus shown = status == null ? RefreshStatus.none() : status;
        boolean attention = shown.state() == RefreshState.STOPPED || shown.state() == RefreshState.PAUSED;
        return new CredentialStatusView(entry.key().tenant(), entry.key().app(), entry.key().env(), entry.environmentId(),
                entry.appid(), entry.platform(), entry.mode(), entry.enabled(), shown.state(), attention,
                shown.expiresAt(), shown.obtainedAt(), shown.nextRefreshAt(), shown.lastTrigger(), shown.lastError(),
                shown.pausedUntil(), quotaUsedToday == null ? Map.of() : quotaUsedToday, shown.refreshedBy(),
                entry.upstreamId(), entry.upstreamKey(), sharing.stream()
                        .filter(other -> other.environmentId() != entry.environmentId())
                        .map(other -> other.key().toString()).sorted().toList(), tickets == null ? List.of() : tickets);
    }
}
