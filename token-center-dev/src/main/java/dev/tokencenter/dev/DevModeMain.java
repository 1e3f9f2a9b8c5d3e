package dev.tokencenter.dev;

import dev.tokencenter.TokenCenterApplication;
import dev.tokencenter.embedded.EmbeddedPostgresServer;
import dev.tokencenter.embedded.EmbeddedRedisServer;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dev mode, like {@code vault server -dev}: embedded PostgreSQL, embedded Redis, the in-process WeChat simulator,
 * a throw-away master key and seeded demo data. Everything is forgotten on exit. Not for production.
 */
public final class DevModeMain {

    private DevModeMain() {
    }

    public static void main(String[] args) {
        start(args);
    }

    public static DevMode start(String... args) {
        System.err.println(DevBanner.WARNING);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        WechatSimulator simulator = WechatSimulator.start(SimulatorSettings.defaults(), 0);
        DevMode devMode = new DevMode(postgres, redis, simulator);
        Runtime.getRuntime().addShutdownHook(new Thread(devMode::stopInfrastructure, "dev-mode-shutdown"));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TokenCenterApplication.class, DevModeConfiguration.class)
                .initializers(ctx -> {
                    addDevProperties(ctx.getEnvironment().getPropertySources(), properties(postgres, redis, simulator));
                    ctx.getBeanFactory().registerSingleton("wechatSimulator", simulator);
                })
                .run(args);
        devMode.attach(context);
        return devMode;
    }

    /** Above application.yml (whose production placeholders resolve to empty here), below command-line arguments. */
    private static void addDevProperties(MutablePropertySources sources, Map<String, Object> properties) {
        MapPropertySource devMode = new MapPropertySource("dev-mode", properties);
        if (sources.contains(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, devMode);
        } else {
            sources.addFirst(devMode);
        }
    }

    static Map<String, Object> properties(EmbeddedPostgresServer postgres, EmbeddedRedisServer redis, WechatSimulator simulator) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("token-center.dev-mode", "true");
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.datasource.username", postgres.username());
        properties.put("spring.datasource.password", postgres.password());
        properties.put("token-center.redis.address", redis.address());
        properties.put("token-center.crypto.master-keys", "dev:" + randomMasterKey());
        properties.put("token-center.wechat.api-base-url", simulator.baseUrl());
        properties.put("token-center.wecom.api-base-url", simulator.baseUrl());
        return properties;
    }

    private static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
