package dev.tokencenter.monitoring;

import dev.tokencenter.refresh.EnvironmentReading;
import dev.tokencenter.registry.CredentialKey;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The per-credential series ({@code tokencenter_token_seconds_left}, {@code tokencenter_credential_state} per state,
 * {@code tokencenter_quota_used}, {@code tokencenter_quota_limit}), written at each scrape from {@link LatestReadings}.
 * They are not meters: ten meters per environment would hold an id, tags and a registration each, tens of MiB for
 * 10,000 credentials, where this holds nothing between scrapes. An environment's series come and go with it.
 */
@Component
class CredentialSeries implements MultiCollector, DisposableBean {

    static final String SECONDS_LEFT = "tokencenter_token_seconds_left";
    static final String STATE = "tokencenter_credential_state";
    static final String QUOTA_USED = "tokencenter_quota_used";
    static final String QUOTA_LIMIT = "tokencenter_quota_limit";
    private static final List<String> NAMES = List.of(SECONDS_LEFT, STATE, QUOTA_USED, QUOTA_LIMIT);
    private static final CredentialStateLabel[] STATES = CredentialStateLabel.values();

    private final LatestReadings latest;
    private final Clock clock;
    private final PrometheusRegistry registry;

    CredentialSeries(LatestReadings latest, ObjectProvider<Clock> clock, ObjectProvider<PrometheusRegistry> registry) {
        this.latest = latest;
        this.clock = clock.getIfUnique(Clock::systemUTC);
        this.registry = registry.getIfAvailable();
        if (this.registry != null) {
            this.registry.register(this);
        }
    }

    @Override
    public MetricSnapshots collect() {
        Instant now = clock.instant();
        GaugeSnapshot.Builder secondsLeft = GaugeSnapshot.builder().name(SECONDS_LEFT)
                .help("Seconds until the current token must no longer be served (0 when none)");
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name(STATE)
                .help("1 for the environment's current state");
        GaugeSnapshot.Builder quotaUsed = GaugeSnapshot.builder().name(QUOTA_USED)
                .help("Upstream token calls counted today (quota day, UTC+8)");
        GaugeSnapshot.Builder quotaLimit = GaugeSnapshot.builder().name(QUOTA_LIMIT)
                .help("The daily limit of that endpoint");
        for (EnvironmentReading reading : latest.view()) {
            CredentialKey key = reading.key();
            Labels labels = Labels.of("tenant", key.tenant(), "app", key.app(), "env", key.env());
            secondsLeft.dataPoint(point(labels, reading.secondsLeft(now)));
            CredentialStateLabel current = CredentialStateLabel.of(reading);
            for (CredentialStateLabel each : STATES) {
                state.dataPoint(point(labels.add("state", each.name()), each == current ? 1 : 0));
            }
            Labels quota = labels.add("endpoint", reading.quotaEndpoint());
            quotaUsed.dataPoint(point(quota, reading.quotaUsed()));
            quotaLimit.dataPoint(point(quota, reading.quotaLimit()));
        }
        return MetricSnapshots.of(secondsLeft.build(), state.build(), quotaUsed.build(), quotaLimit.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    @Override
    public void destroy() {
        if (registry != null) {
            registry.unregister(this);
        }
    }
}
