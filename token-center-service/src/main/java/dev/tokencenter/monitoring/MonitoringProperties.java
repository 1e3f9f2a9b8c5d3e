package dev.tokencenter.monitoring;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Metrics read from shared state ({@code token-center.monitoring.*}).
 *
 * @param pollPeriod how often this instance reads every credential's state and quota from Redis for the
 *                   per-credential gauges, and evaluates its readiness for {@code tokencenter_ready}; the states this
 *                   instance writes itself show at once
 */
@Validated
@ConfigurationProperties("token-center.monitoring")
public record MonitoringProperties(@NotNull @DefaultValue("10s") Duration pollPeriod) {
}
