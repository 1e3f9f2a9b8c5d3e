package dev.tokencenter.client;

import java.util.List;

/**
 * Access to one app and environment of the client's tenant; {@code *} stands for every app or every environment.
 * {@code rights} are {@link ClientRight} wire names; left out in a request, a grant allows token reads only.
 */
public record ClientGrant(String app, String env, List<String> rights) {

    public static final String ANY = "*";

    /** A grant of token reads only, as every grant was before grants carried rights. */
    public ClientGrant(String app, String env) {
        this(app, env, List.of(ClientRight.TOKEN.wireName()));
    }
}
