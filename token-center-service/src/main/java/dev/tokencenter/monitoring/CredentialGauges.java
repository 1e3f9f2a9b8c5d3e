package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.EnvironmentReading;
import dev.tokencenter.refresh.RefreshReadings;
import dev.tokencenter.refresh.RefreshStatusChangedEvent;
import dev.tokencenter.registry.CredentialKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-credential gauges ({@code tokencenter_token_seconds_left}, {@code tokencenter_credential_state},
 * {@code tokencenter_quota_used}, {@code tokencenter_quota_limit}) and {@code tokencenter_credentials} by state, read
 * from the latest readings ({@link MonitoringPoller} replaces them every poll; statuses this instance writes update
 * them at once). Gauges follow the catalog: an environment's series appear when it does and are removed with it, so a
 * deleted environment leaves no stale series. Seconds left are computed at each scrape from the token's end.
 */
@Component
class CredentialGauges {

    private final MeterRegistry registry;
    private final RefreshReadings engine;
    private final Clock clock;
    private final Map<CredentialKey, EnvironmentReading> readings = new ConcurrentHashMap<>();
    private final Map<CredentialKey, Registered> meters = new HashMap<>();

    CredentialGauges(MeterRegistry registry, RefreshReadings engine, ObjectProvider<Clock> clock) {
        this.registry = registry;
        this.engine = engine;
        this.clock = clock.getIfUnique(Clock::systemUTC);
        for (CredentialStateLabel state : CredentialStateLabel.values()) {
            Gauge.builder("tokencenter.credentials", this, gauges -> gauges.count(state))
                    .description("Environments in each state (this instance's view)")
                    .tag("state", state.name())
                    .register(registry);
        }
    }

    /** A full reading of every environment: replaces the previous one, adding and removing series. */
    synchronized void update(List<EnvironmentReading> latest) {
        Map<CredentialKey, EnvironmentReading> byKey = new HashMap<>();
        latest.forEach(reading -> byKey.put(reading.key(), reading));
        readings.putAll(byKey);
        readings.keySet().retainAll(byKey.keySet());
        meters.entrySet().removeIf(entry -> {
            EnvironmentReading reading = byKey.get(entry.getKey());
            if (reading != null && reading.quotaEndpoint().equals(entry.getValue().quotaEndpoint())) {
                return false;
            }
            entry.getValue().meters().forEach(registry::remove);
            return true;
        });
        byKey.values().forEach(reading -> meters.computeIfAbsent(reading.key(),
                key -> new Registered(reading.quotaEndpoint(), register(reading))));
    }

    /** The series of one environment; its token mode (and so its quota endpoint) may change. */
    private record Registered(String quotaEndpoint, List<Meter> meters) {
    }

    /** A status this instance wrote: shown at once for every environment that shares the credential. */
    @EventListener
    void statusWritten(RefreshStatusChangedEvent event) {
        for (RefreshStatusChangedEvent.Environment environment : event.environments()) {
            String appid = engine.appidOf(environment.environmentId()).orElse(null);
            readings.computeIfPresent(environment.key(), (key, reading) -> reading.with(event.status(), appid));
        }
    }

    /** The latest readings (no I/O). */
    List<EnvironmentReading> current() {
        return List.copyOf(readings.values());
    }

    private List<Meter> register(EnvironmentReading reading) {
        CredentialKey key = reading.key();
        Tags tags = Tags.of("tenant", key.tenant(), "app", key.app(), "env", key.env());
        List<Meter> registered = new ArrayList<>();
        registered.add(Gauge.builder("tokencenter.token.seconds.left", this, gauges -> gauges.secondsLeft(key))
                .description("Seconds until the current token must no longer be served (0 when none)")
                .tags(tags).register(registry));
        for (CredentialStateLabel state : CredentialStateLabel.values()) {
            registered.add(Gauge.builder("tokencenter.credential.state", this, gauges -> gauges.is(key, state))
                    .description("1 for the environment's current state")
                    .tags(tags).tag("state", state.name()).register(registry));
        }
        Tags quotaTags = tags.and("endpoint", reading.quotaEndpoint());
        registered.add(Gauge.builder("tokencenter.quota.used", this, gauges -> gauges.value(key, false))
                .description("Upstream token calls counted today (quota day, UTC+8)")
                .tags(quotaTags).register(registry));
        registered.add(Gauge.builder("tokencenter.quota.limit", this, gauges -> gauges.value(key, true))
                .description("The daily limit of that endpoint")
                .tags(quotaTags).register(registry));
        return registered;
    }

    private double secondsLeft(CredentialKey key) {
        EnvironmentReading reading = readings.get(key);
        return reading == null ? 0 : reading.secondsLeft(clock.instant());
    }

    private double is(CredentialKey key, CredentialStateLabel state) {
        EnvironmentReading reading = readings.get(key);
        return reading != null && CredentialStateLabel.of(reading) == state ? 1 : 0;
    }

    private double value(CredentialKey key, boolean limit) {
        EnvironmentReading reading = readings.get(key);
        return reading == null ? 0 : limit ? reading.quotaLimit() : reading.quotaUsed();
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

    /** Environments by state label (for the health details). */
    Map<CredentialStateLabel, Integer> counts() {
        Map<CredentialStateLabel, Integer> counts = new EnumMap<>(CredentialStateLabel.class);
        readings.values().forEach(reading -> counts.merge(CredentialStateLabel.of(reading), 1, Integer::sum));
        return counts;
    }
}
