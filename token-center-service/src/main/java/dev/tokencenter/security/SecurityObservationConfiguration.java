package dev.tokencenter.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security observes every filter of every chain (an observation per filter, per request) as soon as an
 * ObservationRegistry exists: avoidable work on the token API's hot path (see docs/benchmarks.md). The HTTP server
 * observation (http.server.requests) still measures every request.
 * {@code token-center.security.observe-filter-chains=true} turns them back on, e.g. for tracing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "token-center.security.observe-filter-chains", havingValue = "false", matchIfMissing = true)
class SecurityObservationConfiguration {

    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
