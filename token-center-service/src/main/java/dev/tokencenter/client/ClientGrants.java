package dev.tokencenter.client;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The app/environment pairs a client may read, precomputed for a cheap check on every request.
 * {@code *} stands for every app or every environment.
 */
public final class ClientGrants {

    public static final String ANY = "*";

    private final boolean everything;
    private final Set<String> allEnvsOfApp = new HashSet<>();
    private final Set<String> envOfAnyApp = new HashSet<>();
    private final Set<String> pairs = new HashSet<>();

    public ClientGrants(Collection<ClientGrant> grants) {
        boolean all = false;
        for (ClientGrant grant : grants) {
            boolean anyApp = ANY.equals(grant.app());
            boolean anyEnv = ANY.equals(grant.env());
            if (anyApp && anyEnv) {
                all = true;
            } else if (anyEnv) {
                allEnvsOfApp.add(grant.app());
            } else if (anyApp) {
                envOfAnyApp.add(grant.env());
            } else {
                pairs.add(pair(grant.app(), grant.env()));
            }
        }
        this.everything = all;
    }

    public boolean allows(String app, String env) {
        return everything || allEnvsOfApp.contains(app) || envOfAnyApp.contains(env) || pairs.contains(pair(app, env));
    }

    private static String pair(String app, String env) {
        return app + '/' + env;
    }

}
