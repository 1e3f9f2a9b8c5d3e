package dev.tokencenter.refresh;

import java.time.Duration;

/** {@link RefreshProperties} with the defaults the service documents, for unit tests that start no Spring context. */
final class DefaultRefreshProperties {

    private DefaultRefreshProperties() {
    }

    static RefreshProperties get() {
        return new RefreshProperties(true, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), 0.2,
                Duration.ofMinutes(10), Duration.ofSeconds(300), Duration.ofSeconds(270), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(60), 20, Duration.ofSeconds(30), 5, 0.8, 2000, 500000, 0,
                Duration.ofSeconds(300), Duration.ofSeconds(30), Duration.ofSeconds(30), 32, 1024, Duration.ofSeconds(1),
                "instance-a");
    }
}
