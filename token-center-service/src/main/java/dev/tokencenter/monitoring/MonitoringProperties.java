package dev.tokencenter.monitoring;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Metrics read from shared state ({@code token-center.monitoring.*}).
 *
 * @param pollPeriod     how often this instance reads, for the per-credential series, the state and quota of the
 *                       credentials whose status changed (on any instance), and evaluates its readiness for
 *                       {@code tokencenter_ready}; the states this instance writes itself show at once
 * @param fullReadPeriod how often it reads every credential's state and quota anyway, which repairs a lost status
 *                       message (it also does so when the catalog changes and when the quota day turns)
 */
@Validated
@ConfigurationProperties("token-center.monitoring")
public record MonitoringProperties(@NotNull @DefaultValue("10s") Duration pollPeriod,
                                   @NotNull @DefaultValue("5m") Duration fullReadPeriod) {
}
