package dev.tokencenter.token;

import dev.tokencenter.client.CallTally;
import dev.tokencenter.registry.CredentialKey;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

/**
 * Counts token reads per client and credential without a write per request (see {@link CallTally}). Field:
 * {@code <tenant>/<app>/<env>|<client id>}.
 */
@Component
public class TokenReadCounter extends CallTally {

    static final String ALL_TIME_KEY = "token-center:token-reads";
    static final String DAY_KEY_PREFIX = "token-center:token-reads:";

    TokenReadCounter(RedissonClient redisson) {
        super(redisson, ALL_TIME_KEY, DAY_KEY_PREFIX);
    }

    public void record(String clientId, CredentialKey credential) {
        add(credential + "|" + clientId);
    }
}
