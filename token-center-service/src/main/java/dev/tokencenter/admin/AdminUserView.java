package dev.tokencenter.admin;

import java.time.Instant;

public record AdminUserView(String username, AdminRole role, boolean enabled, Instant createdAt) {

    static AdminUserView of(AdminUser user) {
        return new AdminUserView(user.username(), user.role(), user.enabled(), user.createdAt());
    }
}
