package dev.tokencenter.dev;

import dev.tokencenter.admin.AdminRole;
import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.client.ClientGrant;
import dev.tokencenter.client.ClientRight;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.EnvironmentSpec;
import dev.tokencenter.registry.Platform;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.registry.TokenMode;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Seeds a demo tenant, a mini program with a test and a prod environment (their AppIDs registered in the simulator
 * with the same secrets), a client key granted both, and an ADMIN login, all through the registry's own services.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class DemoSeeder implements ApplicationRunner {

    private static final String ACTOR = "dev-mode";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TenantService tenants;
    private final AppService apps;
    private final EnvironmentService environments;
    private final ApiClientService clients;
    private final AdminUserService adminUsers;
    private final WechatSimulator simulator;
    private volatile DemoData demoData;

    DemoSeeder(TenantService tenants, AppService apps, EnvironmentService environments, ApiClientService clients,
               AdminUserService adminUsers, WechatSimulator simulator) {
        this.tenants = tenants;
        this.apps = apps;
        this.environments = environments;
        this.clients = clients;
        this.adminUsers = adminUsers;
        this.simulator = simulator;
    }

    @Override
    public void run(ApplicationArguments args) {
        String tenant = "demo";
        String app = "shop-miniapp";
        String testAppid = "wx" + hex(8);
        String prodAppid = "wx" + hex(8);
        String testSecret = hex(16);
        String prodSecret = hex(16);
        simulator.registerApp(testAppid, testSecret, dev.tokencenter.simulator.Platform.WECHAT);
        simulator.registerApp(prodAppid, prodSecret, dev.tokencenter.simulator.Platform.WECHAT);

        tenants.createTenant(ACTOR, tenant, "Demo tenant");
        apps.createApp(ACTOR, tenant, app, "Shop mini program", Platform.WECHAT_MINIPROGRAM);
        environments.putEnvironment(ACTOR, tenant, app, "test",
                EnvironmentSpec.of(testAppid, testSecret, false, TokenMode.STABLE, true, null));
        environments.putEnvironment(ACTOR, tenant, app, "prod",
                EnvironmentSpec.of(prodAppid, prodSecret, true, TokenMode.STABLE, true, null));
        CreatedClient client = clients.createClient(ACTOR, tenant, "demo-service",
                List.of(new ClientGrant(app, ClientGrant.ANY, ClientRight.wireNames())));
        String adminPassword = hex(10);
        adminUsers.ensureAdminUser(ACTOR, "admin", adminPassword, AdminRole.ADMIN);

        demoData = new DemoData(tenant, app, "test", testAppid, "prod", prodAppid, client.clientId(), client.key(),
                "admin", adminPassword);
    }

    DemoData demoData() {
        return demoData;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
