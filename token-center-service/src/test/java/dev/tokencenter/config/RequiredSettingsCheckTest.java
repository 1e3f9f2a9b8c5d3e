package dev.tokencenter.config;

import dev.tokencenter.TokenCenterApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequiredSettingsCheckTest {

    @Test
    void refusesToStartAndNamesEveryMissingSetting() {
        SpringApplication application = new SpringApplication(TokenCenterApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of(
                "spring.datasource.url", "",
                "token-center.redis.address", "",
                "token-center.crypto.master-keys", ""));
        assertThatThrownBy(() -> application.run())
                .isInstanceOf(MissingSettingsException.class)
                .hasMessageContaining("spring.datasource.url (SPRING_DATASOURCE_URL)")
                .hasMessageContaining("token-center.redis.address (TOKEN_CENTER_REDIS_ADDRESS, TOKEN_CENTER_REDIS_SENTINEL_MASTER_NAME or TOKEN_CENTER_REDIS_CLUSTER_NODES)")
                .hasMessageContaining("token-center.crypto.master-keys");
    }
}
