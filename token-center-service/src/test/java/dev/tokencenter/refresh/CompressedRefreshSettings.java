package dev.tokencenter.refresh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refresh settings for tests in compressed time (tokens of seconds, not hours): defaults that keep the engine's
 * start-up checks satisfied on a loopback Redis and simulator, and the few values each test changes.
 */
final class CompressedRefreshSettings {

    private static final Map<String, Object> DEFAULTS = Map.ofEntries(
            Map.entry("token-center.refresh.scheduler-period", "250ms"),
            Map.entry("token-center.refresh.minimum-lifetime", "1s"),
            Map.entry("token-center.refresh.wecom-minimum-lifetime", "1s"),
            Map.entry("token-center.refresh.jitter", "300ms"),
            Map.entry("token-center.refresh.wecom-rollover-delay", "500ms"),
            // 7 Redis commands of up to 400 ms (TestInfrastructure) and one upstream call of up to 2.3 s
            Map.entry("token-center.refresh.lock-lease", "5200ms"),
            Map.entry("token-center.refresh.read-wait", "3s"),
            Map.entry("token-center.refresh.retry-initial-backoff", "300ms"),
            Map.entry("token-center.refresh.retry-max-backoff", "1s"),
            Map.entry("token-center.wechat.connect-timeout", "300ms"),
            Map.entry("token-center.wechat.response-timeout", "1500ms"));

    private final Map<String, Object> values = new LinkedHashMap<>(DEFAULTS);

    private CompressedRefreshSettings() {
    }

    static CompressedRefreshSettings defaults() {
        return new CompressedRefreshSettings();
    }

    /** Sets {@code token-center.refresh.<name>}. */
    CompressedRefreshSettings refresh(String name, Object value) {
        values.put("token-center.refresh." + name, value.toString());
        return this;
    }

    Map<String, Object> toMap() {
        return Map.copyOf(values);
    }
}
