package dev.tokencenter.admin;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Arrays;
import java.util.List;

/**
 * Roles of admin users, each including the ones below it: VIEWER reads; OPERATOR also manages tenants, apps,
 * environments and clients and triggers refreshes; ADMIN also manages admin users and master keys.
 */
public enum AdminRole {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** ROLE_ authorities for this role and every role it includes. */
    public List<GrantedAuthority> authorities() {
        return Arrays.stream(values())
                .filter(role -> role.ordinal() <= ordinal())
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role.name()))
                .toList();
    }
}
