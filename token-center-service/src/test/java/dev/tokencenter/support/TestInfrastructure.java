package dev.tokencenter.support;

import dev.tokencenter.embedded.EmbeddedPostgresServer;
import dev.tokencenter.embedded.EmbeddedRedisServer;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real PostgreSQL, Redis and WeChat simulator that integration tests share, started once per test JVM:
 * Testcontainers when a Docker engine is reachable, otherwise the embedded servers from Maven packages.
 * {@code -Dtoken-center.test.infrastructure=embedded|containers} forces one.
 */
public final class TestInfrastructure {

    private static volatile TestInfrastructure instance;

    private final String kind;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String redisAddress;
    private final WechatSimulator simulator;
    private final String masterKeys;
    private final EmbeddedRedisServer embeddedRedis;

    private TestInfrastructure(String kind, String jdbcUrl, String dbUser, String dbPassword, String redisAddress,
                               EmbeddedRedisServer embeddedRedis) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.redisAddress = redisAddress;
        this.embeddedRedis = embeddedRedis;
        this.simulator = WechatSimulator.start(SimulatorSettings.defaults(), 0);
        this.masterKeys = "test1:" + randomKey();
    }

    public static TestInfrastructure get() {
        if (instance == null) {
            synchronized (TestInfrastructure.class) {
                if (instance == null) {
                    instance = start();
                }
            }
        }
        return instance;
    }

    private static TestInfrastructure start() {
        String forced = System.getProperty("token-center.test.infrastructure", "");
        boolean containers = forced.equals("containers") || (forced.isEmpty() && dockerReachable());
        return containers ? startContainers() : startEmbedded();
    }

    private static boolean dockerReachable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    private static TestInfrastructure startContainers() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
        postgres.start();
        GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        redis.start();
        return new TestInfrastructure("testcontainers", postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword(), "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379), null);
    }

    private static TestInfrastructure startEmbedded() {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            postgres.close();
        }));
        return new TestInfrastructure("embedded", postgres.jdbcUrl(), postgres.username(), postgres.password(),
                redis.address(), redis);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Properties that point a service instance at this infrastructure. */
    public Map<String, Object> serviceProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("spring.datasource.username", dbUser);
        properties.put("spring.datasource.password", dbPassword);
        properties.put("token-center.redis.address", redisAddress);
        properties.put("token-center.crypto.master-keys", masterKeys);
        // loopback Redis: short command bounds keep the lock leases of compressed-time tests short
        properties.put("token-center.redis.timeout", "400ms");
        properties.put("token-center.redis.retry-attempts", "0");
        properties.put("token-center.wechat.api-base-url", simulator.baseUrl());
        properties.put("token-center.wecom.api-base-url", simulator.baseUrl());
        // every instance a test starts gets a management port of its own, as it gets a server port
        properties.put("management.server.port", "0");
        return properties;
    }

    public String kind() {
        return kind;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public String redisAddress() {
        return redisAddress;
    }

    public String masterKeys() {
        return masterKeys;
    }

    public WechatSimulator simulator() {
        return simulator;
    }

    /** The embedded Redis server, for failure tests; absent when Testcontainers runs Redis. */
    public EmbeddedRedisServer embeddedRedis() {
        return embeddedRedis;
    }
}
