package dev.tokencenter.client;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The calls a client may make on each app/environment pair, precomputed for a cheap check on every request: a bit
 * set of {@link ClientRight}s per pair pattern. {@code *} stands for every app or every environment; grants add up.
 */
public final class ClientGrants {

    public static final String ANY = "*";

    private int everything;
    private final Map<String, Integer> allEnvsOfApp = new HashMap<>();
    private final Map<String, Integer> envOfAnyApp = new HashMap<>();
    private final Map<String, Integer> pairs = new HashMap<>();

    public ClientGrants(Collection<ClientGrant> grants) {
        for (ClientGrant grant : grants) {
            int rights = bits(grant);
            boolean anyApp = ANY.equals(grant.app());
            boolean anyEnv = ANY.equals(grant.env());
            if (anyApp && anyEnv) {
                everything |= rights;
            } else if (anyEnv) {
                allEnvsOfApp.merge(grant.app(), rights, (a, b) -> a | b);
            } else if (anyApp) {
                envOfAnyApp.merge(grant.env(), rights, (a, b) -> a | b);
            } else {
                pairs.merge(pair(grant.app(), grant.env()), rights, (a, b) -> a | b);
            }
        }
    }

    /** Whether token reads of this app/environment are granted. */
    public boolean allows(String app, String env) {
        return allows(ClientRight.TOKEN, app, env);
    }

    public boolean allows(ClientRight right, String app, String env) {
        int granted = everything | allEnvsOfApp.getOrDefault(app, 0) | envOfAnyApp.getOrDefault(env, 0)
                | pairs.getOrDefault(pair(app, env), 0);
        return (granted & right.bit()) != 0;
    }

    private static int bits(ClientGrant grant) {
        int bits = 0;
        if (grant.rights() != null) {
            for (String name : grant.rights()) {
                bits |= ClientRight.fromWireName(name).map(ClientRight::bit).orElse(0);
            }
        }
        return bits;
    }

    private static String pair(String app, String env) {
        return app + '/' + env;
    }
}
