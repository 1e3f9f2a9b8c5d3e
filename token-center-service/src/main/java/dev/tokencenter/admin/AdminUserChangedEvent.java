package dev.tokencenter.admin;

/** Published after an admin user was created, had its role changed, or was deleted (no password, no hash). */
public record AdminUserChangedEvent(String username, String change, AdminRole role) {
}
