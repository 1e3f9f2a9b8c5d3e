package dev.tokencenter.refresh;

import dev.tokencenter.registry.TokenMode;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the refresh engine times and guards upstream calls ({@code token-center.refresh.*}). Defaults follow WeChat's
 * real behaviour; tests compress every duration.
 *
 * @param schedulerEnabled       whether this instance runs the refresh scheduler (every instance should)
 * @param schedulerPeriod        how often the scheduler looks for credentials that are due
 * @param minimumLifetime        a token with less than this left is never served
 * @param wecomMinimumLifetime   the same for WeCom tokens: WeCom hands out a new token only once the current one has
 *                               expired, so a WeCom token is served until this close to its expiry (a longer margin
 *                               would leave readers without any token for that long in every cycle)
 * @param leadFraction           classic: refresh when this share of the lifetime is left ...
 * @param minimumLead            ... or this much, whichever is larger (capped at half the lifetime)
 * @param stableRotationWindow   stable: WeChat hands out a new token only while the current one has less than this left
 * @param stableLead             stable: refresh when this much is left (inside the rotation window, above the minimum lifetime)
 * @param wecomRolloverDelay     WeCom: WeChat Work returns the same token until it expires; refresh this long after expiry
 * @param jitter                 spreads refreshes: classic up to this much earlier, stable up to this much later
 * @param lockLease              lease of the per-credential lock; must outlast two bounded upstream calls
 * @param readWait               how long a reader waits for a token when none is usable (first use, rollover, retries)
 * @param retryInitialBackoff    first retry delay after a retryable failure (doubles per attempt, with jitter)
 * @param retryMaxBackoff        the retry delay never exceeds this
 * @param reportMinInterval      at most one client-reported or forced refresh per credential per this interval
 * @param forceRefreshDailyLimit stable: force_refresh calls per credential per quota day (WeChat allows 20)
 * @param forceRefreshMinInterval stable: minimum time between two force_refresh calls (WeChat: 30 s)
 * @param forceRefreshOperatorReserve stable: force_refresh calls of the daily limit that client reports may not use,
 *                               kept for operators (a leaked token)
 * @param quotaGuardShare        automatic calls stop at this share of an endpoint's known daily limit
 * @param classicDailyLimit      WeChat's daily limit of {@code /cgi-bin/token} calls
 * @param stableDailyLimit       WeChat's daily limit of {@code /cgi-bin/stable_token} calls
 * @param wecomDailyLimit        WeCom's daily limit of {@code gettoken} calls, 0 when unknown (no guard)
 * @param classicGracePeriod     classic: how long WeChat keeps accepting the previous token after a new fetch (5 min)
 * @param advertiseMargin        advertised lifetimes (expires_in, expires_at, Cache-Control) end this much before the
 *                               token is known to stop working (at most the mode's minimum lifetime)
 * @param catalogReloadPeriod    how often the credential catalog checks whether the registry changed without it hearing
 *                               of it (one single-row read; the catalog is read again only when it did)
 * @param statusResyncPeriod     safety net for lost status-changed messages: the scheduler re-reads every shared status
 *                               at least this often (and on every change of the catalog)
 * @param workerThreads          threads that run refreshes (blocking Redis/JDBC work and bounded upstream waits): the
 *                               number of refreshes in flight on this instance
 * @param queueCapacity          refreshes waiting for a worker; beyond it on-demand requests answer BUSY and the
 *                               scheduler leaves due credentials in its index until workers catch up (back-pressure)
 * @param secretReadWait         how long a refresh waits for the credential row before it uses the sealed copy read
 *                               last (PostgreSQL unreachable or stalled)
 * @param instanceId             this instance's name in status and logs; default: host name plus a random suffix
 */
@Validated
@ConfigurationProperties("token-center.refresh")
public record RefreshProperties(
        @DefaultValue("true") boolean schedulerEnabled,
        @NotNull @DefaultValue("1s") Duration schedulerPeriod,
        @NotNull @DefaultValue("60s") Duration minimumLifetime,
        @NotNull @DefaultValue("2s") Duration wecomMinimumLifetime,
        @DecimalMin("0.0") @DecimalMax("0.5") @DefaultValue("0.2") double leadFraction,
        @NotNull @DefaultValue("10m") Duration minimumLead,
        @NotNull @DefaultValue("300s") Duration stableRotationWindow,
        @NotNull @DefaultValue("270s") Duration stableLead,
        @NotNull @DefaultValue("1s") Duration wecomRolloverDelay,
        @NotNull @DefaultValue("30s") Duration jitter,
        @NotNull @DefaultValue("30s") Duration lockLease,
        @NotNull @DefaultValue("5s") Duration readWait,
        @NotNull @DefaultValue("1s") Duration retryInitialBackoff,
        @NotNull @DefaultValue("60s") Duration retryMaxBackoff,
        @NotNull @DefaultValue("60s") Duration reportMinInterval,
        @Min(0) @DefaultValue("20") int forceRefreshDailyLimit,
        @NotNull @DefaultValue("30s") Duration forceRefreshMinInterval,
        @Min(0) @DefaultValue("5") int forceRefreshOperatorReserve,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.8") double quotaGuardShare,
        @Min(0) @DefaultValue("2000") long classicDailyLimit,
        @Min(0) @DefaultValue("500000") long stableDailyLimit,
        @Min(0) @DefaultValue("0") long wecomDailyLimit,
        @NotNull @DefaultValue("300s") Duration classicGracePeriod,
        @NotNull @DefaultValue("30s") Duration advertiseMargin,
        @NotNull @DefaultValue("30s") Duration catalogReloadPeriod,
        @NotNull @DefaultValue("120s") Duration statusResyncPeriod,
        @Min(1) @DefaultValue("32") int workerThreads,
        @Min(1) @DefaultValue("1024") int queueCapacity,
        @NotNull @DefaultValue("1s") Duration secretReadWait,
        String instanceId) {

    public RefreshProperties {
        requirePositive(schedulerPeriod, "scheduler-period");
        requirePositive(minimumLifetime, "minimum-lifetime");
        requirePositive(wecomMinimumLifetime, "wecom-minimum-lifetime");
        requirePositive(lockLease, "lock-lease");
        requirePositive(retryInitialBackoff, "retry-initial-backoff");
        requirePositive(catalogReloadPeriod, "catalog-reload-period");
        requirePositive(statusResyncPeriod, "status-resync-period");
        requirePositive(secretReadWait, "secret-read-wait");
        if (readWait != null && wecomMinimumLifetime != null && wecomRolloverDelay != null
                && readWait.compareTo(wecomMinimumLifetime.plus(wecomRolloverDelay)) <= 0) {
            throw new IllegalArgumentException("token-center.refresh.read-wait must exceed wecom-minimum-lifetime plus"
                    + " wecom-rollover-delay, or WeCom readers would fail in every cycle while the next token is fetched");
        }
        if (queueCapacity <= workerThreads) {
            throw new IllegalArgumentException("token-center.refresh.queue-capacity must exceed worker-threads:"
                    + " one slot per worker is kept for on-demand refreshes");
        }
        if (retryMaxBackoff != null && retryInitialBackoff != null && retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException("token-center.refresh.retry-max-backoff must not be below retry-initial-backoff");
        }
        if (minimumLead != null && minimumLifetime != null && minimumLead.compareTo(minimumLifetime) <= 0) {
            throw new IllegalArgumentException("token-center.refresh.minimum-lead must be above minimum-lifetime,"
                    + " or classic tokens would become unservable before their refresh");
        }
        if (stableLead != null && stableRotationWindow != null && stableLead.compareTo(stableRotationWindow) > 0) {
            throw new IllegalArgumentException("token-center.refresh.stable-lead (" + stableLead
                    + ") must lie inside the stable rotation window (" + stableRotationWindow + "): earlier calls return the same token");
        }
        if (stableLead != null && jitter != null && minimumLifetime != null
                && stableLead.minus(jitter).compareTo(minimumLifetime) <= 0) {
            throw new IllegalArgumentException("token-center.refresh.stable-lead minus jitter must stay above minimum-lifetime,"
                    + " or stable tokens would become unservable before their refresh");
        }
    }

    /** A token of this mode with less than this left is never served. */
    public Duration minimumLifetimeFor(TokenMode mode) {
        return mode == TokenMode.WECOM ? wecomMinimumLifetime : minimumLifetime;
    }

    private static void requirePositive(Duration value, String name) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException("token-center.refresh." + name + " must be positive");
        }
    }
}
