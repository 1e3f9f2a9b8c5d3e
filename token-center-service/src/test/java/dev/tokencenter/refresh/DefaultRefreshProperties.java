package dev.tokencenter.refresh;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

/**
 * {@link RefreshProperties} with the defaults the service documents (bound the way the service binds them), for unit
 * tests that start no Spring context.
 */
final class DefaultRefreshProperties {

    private DefaultRefreshProperties() {
    }

    static RefreshProperties get() {
        return new Binder(new MapConfigurationPropertySource(Map.of("token-center.refresh.instance-id", "instance-a")))
                .bindOrCreate("token-center.refresh", RefreshProperties.class);
    }
}
