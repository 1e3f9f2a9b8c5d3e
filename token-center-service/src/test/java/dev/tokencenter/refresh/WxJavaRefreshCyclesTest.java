package dev.tokencenter.refresh;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.TokenValidity;
import dev.tokencenter.simulator.WechatSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real WxJava client, pointed at the compatible endpoints and caching tokens the way it does (until
 * {@code expires_in} minus its safety margin), uses its token continuously through three compressed refresh cycles of
 * each mode: it must never hold a token WeChat has stopped accepting. A classic token dies a grace period after the
 * next fetch, long before its own expiry, so this holds only if {@code expires_in} says when the token really stops
 * working. Time runs 360 times faster than WeChat's (20 s tokens for 7,200 s), and so do WeChat's grace period and
 * WxJava's 200 s margin.
 */
class WxJavaRefreshCyclesTest {

    private static final Duration LIFETIME = Duration.ofSeconds(20);
    private static final double SCALE = LIFETIME.toMillis() / 7_200_000.0;

    static RefreshTestCluster cluster;
    static WechatSimulator simulator;
    static ConfigurableApplicationContext node;

    @BeforeAll
    static void start() {
        cluster = new RefreshTestCluster(SimulatorSettings.defaults()
                .withTokenLifetime(LIFETIME)
                .withClassicGracePeriod(Duration.ofMillis(Math.round(300_000 * SCALE)))
                .withStableRotationWindow(Duration.ofSeconds(4)),
                CompressedRefreshSettings.defaults()
                        .refresh("scheduler-period", "100ms")
                        .refresh("wecom-minimum-lifetime", "500ms")
                        .refresh("minimum-lead", "2s")
                        .refresh("stable-rotation-window", "4s")
                        .refresh("stable-lead", "3s")
                        .refresh("wecom-rollover-delay", "300ms")
                        .refresh("classic-grace-period", Math.round(300_000 * SCALE) + "ms")
                        .refresh("advertise-margin", "200ms")
                        .refresh("retry-initial-backoff", "200ms")
                        .toMap());
        simulator = cluster.simulator();
        node = cluster.start("wxjava-node");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void wxJavaNeverHoldsADeadTokenThroughThreeRefreshCyclesOfEachMode() throws InterruptedException {
        RegistryRows rows = new RegistryRows(node);
        String tenant = "wxjava-" + hex(4);
        String center = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
        node.getBean(org.springframework.jdbc.core.JdbcTemplate.class).update("insert into tenant (id, name) values (?, ?)",
                tenant, tenant);
        String key = node.getBean(ApiClientService.class).createClient("test", tenant, "sdk",
                List.of(new ClientGrant("*", "*"))).key();
        Map<String, WxMaService> clients = new LinkedHashMap<>();
        Map<String, String> appids = new LinkedHashMap<>();
        for (String mode : List.of("CLASSIC", "STABLE", "WECOM")) {
            boolean wecom = mode.equals("WECOM");
            String appid = (wecom ? "ww" : "wx") + hex(8);
            String secret = hex(16);
            simulator.registerApp(appid, secret, wecom ? Platform.WECOM : Platform.WECHAT);
            rows.create(new CredentialKey(tenant, mode.toLowerCase(), "prod"), wecom ? "WECOM" : "WECHAT_MINIPROGRAM",
                    wecom ? "STABLE" : mode, appid, secret);
            WxMaDefaultConfigImpl config = new ScaledMarginConfig();
            config.setAppid(appid);
            config.setSecret(key);
            switch (mode) {
                case "CLASSIC" -> config.setAccessTokenUrl(center + "/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s");
                case "STABLE" -> {
                    config.useStableAccessToken(true);
                    config.setAccessTokenUrl(center + "/cgi-bin/stable_token");
                }
                default -> config.setAccessTokenUrl(center + "/cgi-bin/gettoken?corpid=%s&corpsecret=%s");
            }
            WxMaService wx = new WxMaServiceImpl();
            wx.setWxMaConfig(config);
            clients.put(mode, wx);
            appids.put(mode, appid);
        }

        Instant until = Instant.now().plus(LIFETIME.multipliedBy(3)).plusSeconds(2);
        Map<String, Integer> uses = new LinkedHashMap<>();
        Map<String, Integer> fetches = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        Map<String, String> last = new LinkedHashMap<>();
        while (Instant.now().isBefore(until)) {
            for (var client : clients.entrySet()) {
                String mode = client.getKey();
                String token;
                try {
                    token = client.getValue().getAccessToken();
                } catch (Exception e) {
                    rejected.add(mode + ": no token: " + e);
                    continue;
                }
                // what a business call with this token would meet at WeChat: 40001 if it no longer works
                TokenValidity validity = simulator.tokenValidity(token);
                Instant now = simulator.clock().now();
                if (!validity.valid() || !validity.expiresAt().isAfter(now)) {
                    rejected.add(mode + " at " + now + ": " + validity);
                }
                uses.merge(mode, 1, Integer::sum);
                if (!token.equals(last.put(mode, token))) {
                    fetches.merge(mode, 1, Integer::sum);
                }
            }
            Thread.sleep(50);
        }

        assertThat(rejected).as("uses of a token WeChat answers with 40001").isEmpty();
        for (var mode : appids.entrySet()) {
            // at least three refresh cycles of each mode went by under the client
            assertThat(fetches.get(mode.getKey())).as("tokens %s held", mode.getKey()).isGreaterThanOrEqualTo(3);
            assertThat(uses.get(mode.getKey())).isGreaterThan(300);
        }
    }

    /** WxJava's own caching (until expires_in minus 200 s), with the 200 s compressed like every other duration. */
    static final class ScaledMarginConfig extends WxMaDefaultConfigImpl {
        @Override
        protected long expiresAheadInMillis(int expiresInSeconds) {
            return System.currentTimeMillis() + expiresInSeconds * 1000L - Math.round(200_000 * SCALE);
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
