package dev.tokencenter.registry;

import java.time.Instant;

/**
 * An environment and its credential as the admin API shows it: never the secret, only {@code secretHint} (its last
 * 4 characters for secrets of 16 or more characters, else empty) and when it was last rotated. {@code tokenMode} is
 * null for WeCom apps, {@code agentId} null for WeChat apps.
 */
public record EnvironmentView(String tenant, String app, String name, String appid, String agentId, boolean production,
                              boolean enabled, TokenMode tokenMode, String secretHint, Instant rotatedAt,
                              int credentialVersion, Instant createdAt, Instant updatedAt) {

    static EnvironmentView of(String tenant, App app, AppEnvironment environment, Credential credential) {
        return new EnvironmentView(tenant, app.slug(), environment.name(), credential.appid(), credential.agentId(),
                environment.production(), environment.enabled(),
                app.platform().isWechat() ? environment.tokenMode() : null,
                credential.secretHint(), credential.rotatedAt(), credential.version(),
                environment.createdAt(), environment.updatedAt());
    }
}
