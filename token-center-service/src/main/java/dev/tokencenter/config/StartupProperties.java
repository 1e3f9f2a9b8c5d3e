package dev.tokencenter.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Start-up.
 *
 * @param dependencyWait how long an instance started while PostgreSQL or Redis accepts no connection waits for them,
 *                       retrying with backoff, before it gives up; 0 does not wait
 */
@ConfigurationProperties("token-center.startup")
public record StartupProperties(@DefaultValue("5m") Duration dependencyWait) {
}
