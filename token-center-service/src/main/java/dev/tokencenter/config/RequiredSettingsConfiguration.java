package dev.tokencenter.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RequiredSettingsConfiguration {

    @Bean
    static RequiredSettingsCheck requiredSettingsCheck() {
        return new RequiredSettingsCheck();
    }

    @Bean
    static DependencyWait dependencyWait() {
        return new DependencyWait();
    }
}
