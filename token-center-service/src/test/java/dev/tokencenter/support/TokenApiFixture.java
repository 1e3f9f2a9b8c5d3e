package dev.tokencenter.support;

import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Sets up tenants, apps, environments and API clients through the registry's own services (secrets sealed as in
 * production) and registers the same AppID and secret in the WeChat simulator. Unique slugs: tests share one database.
 */
public final class TokenApiFixture {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ACTOR = "test";

    private final ApplicationContext context;
    private final Set<String> apps = new HashSet<>();

    public TokenApiFixture(ApplicationContext context) {
        this.context = context;
    }

    public static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public static WebTestClient http(ApplicationContext context) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    public String tenant() {
        String id = "t-" + hex(5);
        context.getBean(TenantService.class).createTenant(ACTOR, id, "Tenant " + id);
        return id;
    }

    /** A WeChat mini program credential (stable mode) known to the simulator with the same AppID and secret. */
    public Credential wechat(String tenant, String app, String env) {
        return credential(tenant, app, env, Platform.WECHAT_MINIPROGRAM, "wx" + hex(8), hex(16), true);
    }

    public Credential wecom(String tenant, String app, String env) {
        return credential(tenant, app, env, Platform.WECOM, "ww" + hex(8), hex(16), true);
    }

    /** A WeChat official account credential (stable mode), known to the simulator. */
    public Credential officialAccount(String tenant, String app, String env) {
        return credential(tenant, app, env, Platform.WECHAT_OFFICIAL_ACCOUNT, "wx" + hex(8), hex(16), true);
    }

    /** A WeCom app credential that names its agent id, known to the simulator. */
    public Credential wecomAgent(String tenant, String app, String env, String agentId) {
        return credential(tenant, app, env, Platform.WECOM, "ww" + hex(8), hex(16), true, agentId);
    }

    /** A credential whose secret WeChat does not accept (the simulator knows the AppID with another secret). */
    public Credential wechatWithWrongSecret(String tenant, String app, String env) {
        String appid = "wx" + hex(8);
        TestInfrastructure.get().simulator().registerApp(appid, hex(16), dev.tokencenter.simulator.Platform.WECHAT);
        return credential(tenant, app, env, Platform.WECHAT_MINIPROGRAM, appid, hex(16), false);
    }

    private Credential credential(String tenant, String app, String env, Platform platform, String appid, String secret,
                                  boolean registerInSimulator) {
        return credential(tenant, app, env, platform, appid, secret, registerInSimulator, null);
    }

    private Credential credential(String tenant, String app, String env, Platform platform, String appid, String secret,
                                  boolean registerInSimulator, String agentId) {
        if (registerInSimulator) {
            TestInfrastructure.get().simulator().registerApp(appid, secret, platform == Platform.WECOM
                    ? dev.tokencenter.simulator.Platform.WECOM : dev.tokencenter.simulator.Platform.WECHAT);
        }
        if (apps.add(tenant + "/" + app)) {
            context.getBean(AppService.class).createApp(ACTOR, tenant, app, "App " + app, platform);
        }
        context.getBean(EnvironmentService.class).putEnvironment(ACTOR, tenant, app, env,
                EnvironmentSpec.of(appid, secret, "prod".equals(env), platform == Platform.WECOM ? null : TokenMode.STABLE,
                        true, agentId));
        return new Credential(new CredentialKey(tenant, app, env), appid, secret);
    }

    public void disable(Credential credential) {
        context.getBean(EnvironmentService.class).putEnvironment(ACTOR, credential.key().tenant(), credential.key().app(),
                credential.key().env(), new EnvironmentSpec(null, null, null, null, false, null));
    }

    /**
     * A client of {@code tenant}; grants as "app/env" strings ({@code *} allowed) for token reads, or
     * "app/env:right,right" with rights by their wire names (e.g. {@code "mini/prod:token,session"}).
     */
    public CreatedClient client(String tenant, String... grants) {
        return context.getBean(ApiClientService.class).createClient(ACTOR, tenant, "client-" + hex(3),
                Arrays.stream(grants).map(TokenApiFixture::grant).toList());
    }

    private static ClientGrant grant(String spec) {
        String[] pairAndRights = spec.split(":", 2);
        String[] pair = pairAndRights[0].split("/");
        return pairAndRights.length == 1 ? new ClientGrant(pair[0], pair[1])
                : new ClientGrant(pair[0], pair[1], List.of(pairAndRights[1].split(",")));
    }

    public void revoke(String tenant, String clientId) {
        context.getBean(ApiClientService.class).revokeClient(ACTOR, tenant, clientId);
    }

    public record Credential(CredentialKey key, String appid, String secret) {

        public String path() {
            return "/v1/tokens/" + key.tenant() + "/" + key.app() + "/" + key.env();
        }

        @Override
        public String toString() {
            return "Credential[" + key + ", appid=" + appid + "]";
        }
    }
}
