package dev.tokencenter.support;

import dev.tokencenter.TokenCenterApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * A service instance a test starts and closes itself, on the shared infrastructure with random public and management
 * ports, next to the cached {@link IntegrationTest} context. Closing any instance in this JVM disposes Reactor Netty's
 * global event loops, on which the management servers of the others run: a test that calls a management port needs
 * an instance started after the last one closed, which is what this gives it.
 */
public final class StandaloneInstance {

    private StandaloneInstance() {
    }

    public static ConfigurableApplicationContext start(String name, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.get().serviceProperties());
        properties.put("server.port", "0");
        properties.putAll(overrides);
        return new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource(name, properties)))
                .run();
    }
}
