package dev.tokencenter.client;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.Objects;

/** One row of api_client_grant: an app slug (or '*') and an environment name (or '*'). */
@Embeddable
class GrantEntry {

    @Column(name = "app_slug", nullable = false)
    private String appSlug;

    @Column(name = "env_name", nullable = false)
    private String envName;

    protected GrantEntry() {
    }

    GrantEntry(String appSlug, String envName) {
        this.appSlug = appSlug;
        this.envName = envName;
    }

    ClientGrant toGrant() {
        return new ClientGrant(appSlug, envName);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GrantEntry that && appSlug.equals(that.appSlug) && envName.equals(that.envName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appSlug, envName);
    }
}
