package dev.tokencenter.admin;

import dev.tokencenter.client.ClientGrant;

import java.util.List;

/** Request bodies of the admin API (JSON in snake_case). toString never shows a secret or password. */
final class Requests {

    private Requests() {
    }

    record CreateTenant(String id, String name) {
    }

    record CreateApp(String id, String name, String platform) {
    }

    record RotateSecret(String secret) {
        @Override
        public String toString() {
            return "RotateSecret[secret=[hidden]]";
        }
    }

    record CreateClient(String name, List<ClientGrant> grants) {
    }

    record Rename(String name) {
    }

    record ChangeRole(String role) {
    }

    record ReplaceGrants(List<ClientGrant> grants) {
    }

    record CreateAdminUser(String username, String password, String role) {
        @Override
        public String toString() {
            return "CreateAdminUser[username=" + username + ", password=[hidden], role=" + role + "]";
        }
    }
}
