package dev.tokenbench;

import dev.tokencenter.crypto.EnvelopeCipher;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.context.ConfigurableApplicationContext;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Registers the benchmark's credentials in a running token center and in the WeChat simulator: {@code n} mini
 * programs (apps {@code app-0..n-1}, env {@code prod}, stable mode) and one WeCom app ({@code corp-0}). Up to
 * {@link #BULK_FROM} mini programs go through the registry's services; more are inserted in JDBC batches
 * ({@link BulkRegistry}), which the instance picks up on their first read.
 */
final class BenchCredentials {

    static final String TENANT = "bench";
    static final int BULK_FROM = 1000;
    private static final String ACTOR = "bench";

    /** A registered credential: its token API path and its AppID (WeCom: corp id). */
    record Registered(String path, String appid, boolean wecom) {
    }

    private BenchCredentials() {
    }

    static List<Registered> register(ConfigurableApplicationContext context, WechatSimulator simulator, int miniPrograms)
            throws Exception {
        List<Registered> registered = new ArrayList<>();
        List<BulkRegistry.Row> rows = new ArrayList<>();
        for (int i = 0; i < miniPrograms; i++) {
            String appid = "wx" + String.format("%016x", 0xbe0c000000000000L + i);
            String secret = randomHex(16);
            simulator.registerApp(appid, secret, dev.tokencenter.simulator.Platform.WECHAT);
            rows.add(new BulkRegistry.Row("app-" + i, "WECHAT_MINIPROGRAM", "STABLE", appid, secret));
            registered.add(new Registered("/v1/tokens/" + TENANT + "/app-" + i + "/prod", appid, false));
        }
        if (miniPrograms > BULK_FROM) {
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                new BulkRegistry(connection, context.getBean(EnvelopeCipher.class)).insert(TENANT, rows);
            }
        } else {
            context.getBean(TenantService.class).createTenant(ACTOR, TENANT, "Benchmark");
            for (BulkRegistry.Row row : rows) {
                put(context, row.app(), Platform.WECHAT_MINIPROGRAM, row.appid(), row.secret(), TokenMode.STABLE);
            }
        }
        String corpid = "ww" + String.format("%016x", 0xbe0c000000000000L);
        String corpSecret = randomHex(16);
        simulator.registerApp(corpid, corpSecret, dev.tokencenter.simulator.Platform.WECOM);
        put(context, "corp-0", Platform.WECOM, corpid, corpSecret, null);
        registered.add(new Registered("/v1/tokens/" + TENANT + "/corp-0/prod", corpid, true));
        return registered;
    }

    private static void put(ConfigurableApplicationContext context, String app, Platform platform, String appid,
                            String secret, TokenMode mode) {
        context.getBean(AppService.class).createApp(ACTOR, TENANT, app, "Benchmark app " + app, platform);
        context.getBean(EnvironmentService.class).putEnvironment(ACTOR, TENANT, app, "prod",
                EnvironmentSpec.of(appid, secret, true, mode, true, null));
    }

    private static String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
