package dev.tokencenter.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Creates the configured first ADMIN at startup when there is no enabled ADMIN yet. */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminProperties properties;
    private final AdminUserService users;

    AdminBootstrap(AdminProperties properties, AdminUserService users) {
        this.properties = properties;
        this.users = users;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.anyEnabledAdmin()) {
            return;
        }
        if (!StringUtils.hasText(properties.bootstrapUsername()) || !StringUtils.hasText(properties.bootstrapPassword())) {
            log.warn("There is no ADMIN user. Set TOKEN_CENTER_ADMIN_USERNAME and TOKEN_CENTER_ADMIN_PASSWORD"
                    + " (token-center.admin.bootstrap-username / bootstrap-password) to create the first one.");
            return;
        }
        if (users.ensureAdminUser("bootstrap", properties.bootstrapUsername(), properties.bootstrapPassword(), AdminRole.ADMIN)) {
            log.info("Created the first ADMIN user '{}' from configuration", properties.bootstrapUsername());
        } else {
            log.warn("User '{}' named by token-center.admin.bootstrap-username exists but is no enabled ADMIN;"
                    + " no ADMIN was created", properties.bootstrapUsername());
        }
    }
}
