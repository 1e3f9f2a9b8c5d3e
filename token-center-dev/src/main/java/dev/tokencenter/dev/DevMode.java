package dev.tokencenter.dev;

import dev.tokencenter.embedded.EmbeddedPostgresServer;
import dev.tokencenter.embedded.EmbeddedRedisServer;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.context.ConfigurableApplicationContext;

/** A running dev-mode token center and the infrastructure it runs on. */
public final class DevMode implements AutoCloseable {

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedRedisServer redis;
    private final WechatSimulator simulator;
    private volatile ConfigurableApplicationContext context;

    DevMode(EmbeddedPostgresServer postgres, EmbeddedRedisServer redis, WechatSimulator simulator) {
        this.postgres = postgres;
        this.redis = redis;
        this.simulator = simulator;
    }

    void attach(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public WechatSimulator simulator() {
        return simulator;
    }

    public DemoData demoData() {
        return context.getBean(DemoSeeder.class).demoData();
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
        stopInfrastructure();
    }

    private boolean stopped;

    synchronized void stopInfrastructure() {
        if (stopped) {
            return;
        }
        stopped = true;
        simulator.close();
        redis.close();
        postgres.close();
    }
}
