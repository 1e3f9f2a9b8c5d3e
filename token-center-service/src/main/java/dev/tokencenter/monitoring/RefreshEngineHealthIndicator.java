package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.EnvironmentReading;
import dev.tokencenter.refresh.RefreshReadings;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code refreshEngine} in the readiness group: UP while the scheduler runs, the engine takes work and the credential
 * catalog has been read. Credentials that need an operator (STOPPED, PAUSED) are listed as a warning detail and do
 * not take the instance out of rotation: they are the same on every instance, and the others are still served.
 * Details show slugs, states and WeChat errcodes only (from the latest readings, no I/O).
 */
@Component
class RefreshEngineHealthIndicator implements HealthIndicator {

    private final RefreshReadings engine;
    private final LatestReadings latest;

    RefreshEngineHealthIndicator(RefreshReadings engine, LatestReadings latest) {
        this.engine = engine;
        this.latest = latest;
    }

    @Override
    public Health health() {
        boolean running = engine.engineRunning();
        boolean loaded = engine.catalogLoaded();
        Health.Builder health = running && loaded ? Health.up() : Health.down();
        health.withDetail("running", running).withDetail("catalogLoaded", loaded);
        Map<String, Integer> counts = new LinkedHashMap<>();
        latest.counts().forEach((state, count) -> counts.put(state.name(), count));
        health.withDetail("credentials", counts);
        Map<String, String> attention = new LinkedHashMap<>();
        latest.view().stream()
                .filter(reading -> CredentialStateLabel.of(reading).needsAttention())
                .sorted(Comparator.comparing(reading -> reading.key().toString()))
                .forEach(reading -> attention.put(reading.key().toString(), describe(reading)));
        if (!attention.isEmpty()) {
            health.withDetail("warning", attention.size() + " credential(s) need an operator; tokens of the others are"
                    + " served").withDetail("needsAttention", attention);
        }
        return health.build();
    }

    private static String describe(EnvironmentReading reading) {
        return CredentialStateLabel.of(reading).name() + (reading.errcode() == null ? "" : " (errcode " + reading.errcode() + ")");
    }
}
