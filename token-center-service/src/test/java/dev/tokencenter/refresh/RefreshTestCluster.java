package dev.tokencenter.refresh;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestInfrastructure;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.client.ReactorResourceFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.function.UnaryOperator;

/**
 * Service instances for refresh tests, isolated from every other test in the JVM: their own PostgreSQL schema (on the
 * shared server), their own Redis database index (on the shared server), their own WeChat simulator with compressed
 * lifetimes, and an engine clock that is the simulator's clock.
 */
final class RefreshTestCluster implements AutoCloseable {

    /** Redis database indexes kept for clusters (the others stay for the shared test context); reused once closed. */
    private static final BlockingQueue<Integer> FREE_REDIS_DATABASES =
            new LinkedBlockingQueue<>(IntStream.rangeClosed(10, 15).boxed().toList());

    private final WechatSimulator simulator;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private final Clock clock;
    private final int redisDatabase;

    RefreshTestCluster(SimulatorSettings settings, Map<String, Object> overrides) {
        this(settings, overrides, UnaryOperator.identity());
    }

    /** {@code databaseUrl} rewrites the JDBC URL the instances use, e.g. to reach PostgreSQL through a proxy. */
    RefreshTestCluster(SimulatorSettings settings, Map<String, Object> overrides, UnaryOperator<String> databaseUrl) {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        this.simulator = WechatSimulator.start(settings, 0);
        this.clock = new SimulatorTimeClock(simulator.clock());
        String schema = "refresh_" + HexFormat.of().formatHex(randomBytes());
        Integer free = FREE_REDIS_DATABASES.poll();
        if (free == null) {
            throw new IllegalStateException("out of Redis databases for isolated refresh tests (close clusters after use)");
        }
        this.redisDatabase = free;
        flushRedisDatabase(infrastructure.redisAddress(), redisDatabase);
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

    /** Empties a database a closed cluster used before (RESP over a plain socket: no client library needed). */
    private static void flushRedisDatabase(String address, int database) {
        URI uri = URI.create(address);
        String index = Integer.toString(database);
        String commands = "*2\r\n$6\r\nSELECT\r\n$" + index.length() + "\r\n" + index + "\r\n*1\r\n$7\r\nFLUSHDB\r\n";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(commands.getBytes(StandardCharsets.US_ASCII));
            BufferedReader replies = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = 0; i < 2; i++) {
                String reply = replies.readLine();
                if (reply == null || !reply.startsWith("+OK")) {
                    throw new IllegalStateException("Redis did not flush database " + database + ": " + reply);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    ConfigurableApplicationContext start(String instanceId) {
        return start(instanceId, Map.of());
    }

    /** An instance with settings of its own on top of the cluster's. */
    ConfigurableApplicationContext start(String instanceId, Map<String, Object> instanceOverrides) {
        return start(instanceId, instanceOverrides, false);
    }

    /**
     * An instance whose web servers run on event loops of its own, as those of a process of its own would. Instances
     * started otherwise share Reactor Netty's global event loops, which closing any of them disposes: the servers of
     * the others stop accepting connections.
     */
    ConfigurableApplicationContext startOnOwnEventLoops(String instanceId) {
        return start(instanceId, Map.of(), true);
    }

    private ConfigurableApplicationContext start(String instanceId, Map<String, Object> instanceOverrides,
                                                 boolean ownEventLoops) {
        Map<String, Object> instanceProperties = new LinkedHashMap<>(properties);
        instanceProperties.put("token-center.refresh.instance-id", instanceId);
        instanceProperties.putAll(instanceOverrides);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenCenterApplication.class)
                .initializers(initializing -> {
                    initializing.getEnvironment().getPropertySources()
                            .addFirst(new MapPropertySource("refresh-test-" + instanceId, instanceProperties));
                    GenericApplicationContext generic = (GenericApplicationContext) initializing;
                    generic.registerBean("tokenCenterClock", Clock.class, () -> clock);
                    if (ownEventLoops) {
                        generic.registerBean("reactorResourceFactory", ReactorResourceFactory.class, () -> {
                            ReactorResourceFactory resources = new ReactorResourceFactory();
                            resources.setUseGlobalResources(false);
                            return resources;
                        });
                    }
                })
                .run();
        instances.add(context);
        return context;
    }

    /** Empties the cluster's Redis database on the server itself (not through any proxy): Redis restarted empty. */
    void flushRedis() {
        flushRedisDatabase(TestInfrastructure.get().redisAddress(), redisDatabase);
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
        FREE_REDIS_DATABASES.add(redisDatabase);
    }
}
