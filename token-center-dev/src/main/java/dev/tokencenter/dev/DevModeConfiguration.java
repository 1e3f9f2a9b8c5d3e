package dev.tokencenter.dev;

import dev.tokencenter.admin.AdminUserService;
import dev.tokencenter.client.ApiClientService;
import dev.tokencenter.registry.AppService;
import dev.tokencenter.registry.EnvironmentService;
import dev.tokencenter.registry.TenantService;
import dev.tokencenter.simulator.WechatSimulator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Dev mode's extra beans: the demo data, seeded before the service takes traffic, and the banner that shows it. */
@Configuration(proxyBeanMethods = false)
class DevModeConfiguration {

    @Bean
    DemoSeeder demoSeeder(TenantService tenants, AppService apps, EnvironmentService environments,
                          ApiClientService clients, AdminUserService adminUsers, WechatSimulator simulator) {
        return new DemoSeeder(tenants, apps, environments, clients, adminUsers, simulator);
    }

    @Bean
    BannerPrinter bannerPrinter(DemoSeeder seeder, WechatSimulator simulator) {
        return new BannerPrinter(seeder, simulator);
    }

    static final class BannerPrinter {

        private final DemoSeeder seeder;
        private final WechatSimulator simulator;

        BannerPrinter(DemoSeeder seeder, WechatSimulator simulator) {
            this.seeder = seeder;
            this.simulator = simulator;
        }

        @EventListener(ApplicationReadyEvent.class)
        void printBanner(ApplicationReadyEvent event) {
            String port = event.getApplicationContext().getEnvironment().getProperty("local.server.port");
            System.out.println(DevBanner.ready("http://localhost:" + port, seeder.demoData(), simulator.baseUrl()));
        }
    }
}
