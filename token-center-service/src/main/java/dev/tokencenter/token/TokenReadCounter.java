package dev.tokencenter.token;

import dev.tokencenter.client.CallTally;
import dev.tokencenter.registry.CredentialKey;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts token reads per client and credential without a write per request (see {@link CallTally}). Field:
 * {@code <tenant>/<app>/<env>|<client id>}.
 */
@Component
public class TokenReadCounter extends CallTally {

    static final String ALL_TIME_KEY = "token-center:token-reads";
    static final String DAY_KEY_PREFIX = "token-center:token-reads:";

    /** Each field made once (the tally keeps a count per field for good anyway): a read then builds no text. */
    private final ConcurrentHashMap<CredentialKey, ConcurrentHashMap<String, String>> fields = new ConcurrentHashMap<>();

    TokenReadCounter(RedissonClient redisson) {
        super(redisson, ALL_TIME_KEY, DAY_KEY_PREFIX);
    }

    public void record(String clientId, CredentialKey credential) {
        add(fields.computeIfAbsent(credential, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(clientId, id -> credential + "|" + id));
    }
}
