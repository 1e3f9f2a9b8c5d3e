package dev.tokencenter.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start without the settings a production instance needs, naming each one that is missing,
 * before any connection is attempted (a bean factory post-processor runs before the first bean is created).
 * Dev mode supplies these settings itself.
 */
public class RequiredSettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    /** Before {@link DependencyWait}: a missing setting is named at once, not after waiting for the others. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }


    /** property -> environment variable that usually supplies it */
    static final Map<String, String> REQUIRED = new LinkedHashMap<>();

    static {
        REQUIRED.put("spring.datasource.url", "SPRING_DATASOURCE_URL");
        REQUIRED.put("spring.datasource.username", "SPRING_DATASOURCE_USERNAME");
        REQUIRED.put("token-center.redis.address",
                "TOKEN_CENTER_REDIS_ADDRESS, TOKEN_CENTER_REDIS_SENTINEL_MASTER_NAME or TOKEN_CENTER_REDIS_CLUSTER_NODES");
        REQUIRED.put("token-center.crypto.master-keys", "TOKEN_CENTER_MASTER_KEYS or TOKEN_CENTER_MASTER_KEYS_FILE");
    }

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> missing = new ArrayList<>();
        REQUIRED.forEach((property, variable) -> {
            if (!StringUtils.hasText(environment.getProperty(property)) && !suppliedOtherwise(property)) {
                missing.add(property + " (" + variable + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
    }

    private boolean suppliedOtherwise(String property) {
        return switch (property) {
            case "token-center.crypto.master-keys" ->
                    StringUtils.hasText(environment.getProperty("token-center.crypto.master-keys-file"));
            case "token-center.redis.address" ->
                    StringUtils.hasText(environment.getProperty("token-center.redis.sentinel.master-name"))
                            || StringUtils.hasText(environment.getProperty("token-center.redis.cluster.nodes"))
                            || StringUtils.hasText(environment.getProperty("token-center.redis.cluster.nodes[0]"));
            default -> false;
        };
    }
}
