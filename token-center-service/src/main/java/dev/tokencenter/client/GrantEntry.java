package dev.tokencenter.client;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.List;
import java.util.Objects;

/** One row of api_client_grant: an app slug (or '*'), an environment name (or '*') and the rights granted there. */
@Embeddable
class GrantEntry {

    @Column(name = "app_slug", nullable = false)
    private String appSlug;

    @Column(name = "env_name", nullable = false)
    private String envName;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "rights", nullable = false)
    private String[] rights;

    protected GrantEntry() {
    }

    GrantEntry(String appSlug, String envName, List<ClientRight> rights) {
        this.appSlug = appSlug;
        this.envName = envName;
        this.rights = rights.stream().sorted().map(ClientRight::wireName).toArray(String[]::new);
    }

    ClientGrant toGrant() {
        return new ClientGrant(appSlug, envName, List.of(rights));
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
