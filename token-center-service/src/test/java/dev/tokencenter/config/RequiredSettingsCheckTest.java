package dev.tokencenter.config;

import dev.tokencenter.TokenCenterApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
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

    @Test
    void redisSentinelOrClusterStandsInForTheAddress() {
        for (Map<String, String> redis : java.util.List.of(
                Map.of("token-center.redis.sentinel.master-name", "tokens"),
                Map.of("token-center.redis.cluster.nodes", "redis://r0:6379,redis://r1:6379"),
                Map.of("token-center.redis.cluster.nodes[0]", "redis://r0:6379"))) {
            MockEnvironment environment = new MockEnvironment()
                    .withProperty("spring.datasource.url", "jdbc:postgresql://db/tokens")
                    .withProperty("spring.datasource.username", "tokens")
                    .withProperty("token-center.crypto.master-keys-file", "/run/secrets/keys");
            redis.forEach(environment::setProperty);
            RequiredSettingsCheck check = new RequiredSettingsCheck();
            check.setEnvironment(environment);
            assertThatCode(() -> check.postProcessBeanFactory(null)).as(redis.toString()).doesNotThrowAnyException();
        }

        MockEnvironment withoutRedis = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/tokens")
                .withProperty("spring.datasource.username", "tokens")
                .withProperty("token-center.crypto.master-keys", "k1:x");
        RequiredSettingsCheck check = new RequiredSettingsCheck();
        check.setEnvironment(withoutRedis);
        assertThatThrownBy(() -> check.postProcessBeanFactory(null))
                .isInstanceOf(MissingSettingsException.class)
                .hasMessageContaining("token-center.redis.address");
    }
}
