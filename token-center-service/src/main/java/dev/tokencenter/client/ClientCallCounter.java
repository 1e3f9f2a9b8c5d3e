package dev.tokencenter.client;

import dev.tokencenter.registry.CredentialKey;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

/**
 * Counts the calls clients make besides token reads (mini program sessions, phone numbers, JS-SDK), per client,
 * credential and endpoint, the way token reads are counted. Field: {@code <tenant>/<app>/<env>|<client id>|<endpoint>}.
 */
@Component
public class ClientCallCounter extends CallTally {

    static final String ALL_TIME_KEY = "token-center:client-calls";
    static final String DAY_KEY_PREFIX = "token-center:client-calls:";

    ClientCallCounter(RedissonClient redisson) {
        super(redisson, ALL_TIME_KEY, DAY_KEY_PREFIX);
    }

    /** {@code endpoint}: a short fixed name such as {@code sessions.create}, never a value from the request. */
    public void record(String clientId, CredentialKey credential, String endpoint) {
        add(credential + "|" + clientId + "|" + endpoint);
    }
}
