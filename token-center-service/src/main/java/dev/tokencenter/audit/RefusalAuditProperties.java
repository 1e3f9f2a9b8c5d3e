package dev.tokencenter.audit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How many refused admin requests (401, 403, 429) are written to the audit log, per instance.
 *
 * @param maxPerSource  records per client address and reason within one window
 * @param maxPerWindow  records of all refusals within one window
 * @param window        the counting window; at its end, one summary record counts the refusals left out
 * @param maxSources    (address, reason) pairs tracked within one window; refusals of further pairs are only counted
 */
@Validated
@ConfigurationProperties("token-center.audit.refusals")
public record RefusalAuditProperties(
        @DefaultValue("10") @Min(1) int maxPerSource,
        @DefaultValue("300") @Min(1) int maxPerWindow,
        @DefaultValue("1m") @NotNull Duration window,
        @DefaultValue("10000") @Min(1) int maxSources) {
}
