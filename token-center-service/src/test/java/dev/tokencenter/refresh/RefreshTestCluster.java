package dev.tokencenter.refresh;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestInfrastructure;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Service instances for refresh tests, isolated from every other test in the JVM: their own PostgreSQL schema (on the
 * shared server), their own Redis database index (on the shared server), their own WeChat simulator with compressed
 * lifetimes, and an engine clock that is the simulator's clock.
 */
final class RefreshTestCluster implements AutoCloseable {

    private static final AtomicInteger NEXT_REDIS_DATABASE = new AtomicInteger(10);

    private final WechatSimulator simulator;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private final Clock clock;

    RefreshTestCluster(SimulatorSettings settings, Map<String, Object> overrides) {
        this(settings, overrides, UnaryOperator.identity());
    }

    /** {@code databaseUrl} rewrites the JDBC URL the instances use, e.g. to reach PostgreSQL through a proxy. */
    RefreshTestCluster(SimulatorSettings settings, Map<String, Object> overrides, UnaryOperator<String> databaseUrl) {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        this.simulator = WechatSimulator.start(settings, 0);
        this.clock = new SimulatorTimeClock(simulator.clock());
        String schema = "refresh_" + HexFormat.of().formatHex(randomBytes());
        int redisDatabase = NEXT_REDIS_DATABASE.getAndIncrement();
        if (redisDatabase > 15) {
            throw new IllegalStateException("out of Redis databases for isolated refresh tests");
        }
        String url = databaseUrl.apply(infrastructure.jdbcUrl());
        properties.putAll(infrastructure.serviceProperties());
        properties.put("spring.datasource.url", url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        properties.put("spring.datasource.hikari.maximum-pool-size", "6");
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.default-schema", schema);
        properties.put("spring.jpa.properties.hibernate.default_schema", schema);
        properties.put("token-center.redis.database", Integer.toString(redisDatabase));
        properties.put("token-center.redis.connection-pool-size", "16");
        properties.put("token-center.redis.connection-minimum-idle-size", "2");
        properties.put("token-center.wechat.api-base-url", simulator.baseUrl());
        properties.put("token-center.wecom.api-base-url", simulator.baseUrl());
        properties.put("server.port", "0");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "2s");
        properties.putAll(overrides);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    ConfigurableApplicationContext start(String instanceId) {
        Map<String, Object> instanceProperties = new LinkedHashMap<>(properties);
        instanceProperties.put("token-center.refresh.instance-id", instanceId);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(initializing -> {
                    initializing.getEnvironment().getPropertySources()
                            .addFirst(new MapPropertySource("refresh-test-" + instanceId, instanceProperties));
                    GenericApplicationContext generic = (GenericApplicationContext) initializing;
                    generic.registerBean("tokenCenterClock", Clock.class, () -> clock);
                })
                .run();
        instances.add(context);
        return context;
    }

    WechatSimulator simulator() {
        return simulator;
    }

    List<ConfigurableApplicationContext> running() {
        return instances.stream().filter(ConfigurableApplicationContext::isActive).toList();
    }

    @Override
    public void close() {
        instances.forEach(ConfigurableApplicationContext::close);
        simulator.close();
    }
}
