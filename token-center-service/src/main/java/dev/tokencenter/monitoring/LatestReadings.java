package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.EnvironmentReading;
import dev.tokencenter.refresh.RefreshReadings;
import dev.tokencenter.refresh.RefreshStatusChangedEvent;
import dev.tokencenter.registry.CredentialKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's latest reading of every environment, kept by {@link MonitoringPoller} (a full reading replaces it,
 * a reading of what changed updates it) and by the statuses this instance writes, which show at once. The
 * per-credential series ({@link CredentialSeries}) and the health details are drawn from it without I/O. Also exports
 * {@code tokencenter_credentials} by state.
 */
@Component
class LatestReadings {

    private final RefreshReadings engine;
    private final Map<CredentialKey, EnvironmentReading> readings = new ConcurrentHashMap<>();

    LatestReadings(MeterRegistry registry, RefreshReadings engine) {
        this.engine = engine;
        for (CredentialStateLabel state : CredentialStateLabel.values()) {
            Gauge.builder("tokencenter.credentials", this, latest -> latest.count(state))
                    .description("Environments in each state (this instance's view)")
                    .tag("state", state.name())
                    .register(registry);
        }
    }

    /** A reading of every environment: environments it does not name are gone. */
    synchronized void replace(List<EnvironmentReading> everyEnvironment) {
        Map<CredentialKey, EnvironmentReading> byKey = new HashMap<>();
        everyEnvironment.forEach(reading -> byKey.put(reading.key(), reading));
        readings.putAll(byKey);
        readings.keySet().retainAll(byKey.keySet());
    }

    /** A reading of the environments that changed. */
    synchronized void update(List<EnvironmentReading> changed) {
        changed.forEach(reading -> readings.put(reading.key(), reading));
    }

    /** A status this instance wrote: shown at once for every environment that shares the credential. */
    @EventListener
    void statusWritten(RefreshStatusChangedEvent event) {
        for (RefreshStatusChangedEvent.Environment environment : event.environments()) {
            String appid = engine.appidOf(environment.environmentId()).orElse(null);
            readings.computeIfPresent(environment.key(), (key, reading) -> reading.with(event.status(), appid));
        }
    }

    /** The latest readings, as they are (no copy, no I/O). */
    Collection<EnvironmentReading> view() {
        return readings.values();
    }

    /** Environments by state label (for the health details). */
    Map<CredentialStateLabel, Integer> counts() {
        Map<CredentialStateLabel, Integer> counts = new EnumMap<>(CredentialStateLabel.class);
        readings.values().forEach(reading -> counts.merge(CredentialStateLabel.of(reading), 1, Integer::sum));
        return counts;
    }

    private double count(CredentialStateLabel state) {
        int count = 0;
        for (EnvironmentReading reading : readings.values()) {
            if (CredentialStateLabel.of(reading) == state) {
                count++;
            }
        }
        return count;
    }
}
