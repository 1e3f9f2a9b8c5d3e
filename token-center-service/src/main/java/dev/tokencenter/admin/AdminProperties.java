package dev.tokencenter.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first ADMIN, created at startup when no enabled ADMIN exists ({@code TOKEN_CENTER_ADMIN_USERNAME} /
 * {@code TOKEN_CENTER_ADMIN_PASSWORD}). Once an ADMIN exists these settings are ignored.
 */
@ConfigurationProperties("token-center.admin")
public record AdminProperties(String bootstrapUsername, String bootstrapPassword) {

    @Override
    public String toString() {
        return "AdminProperties[bootstrapUsername=" + bootstrapUsername + ", bootstrapPassword=[hidden]]";
    }
}
