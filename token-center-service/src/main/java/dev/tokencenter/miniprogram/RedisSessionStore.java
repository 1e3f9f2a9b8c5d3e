package dev.tokencenter.miniprogram;

import dev.tokencenter.redis.RedisProperties;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions in Redis: {@code token-center:mp-session:<session id>} holds the sealed session with a TTL of the session
 * lifetime, and {@code token-center:mp-user:<environment id>:<keyed hash of the openid>} the id of the user's latest
 * session in that environment (no openid appears in a key or in clear in a value). Every call goes through Redisson's
 * async API and is bounded.
 */
@Component
class RedisSessionStore {

    static final String SESSION_PREFIX = "token-center:mp-session:";
    static final String USER_PREFIX = "token-center:mp-user:";

    /**
     * KEYS: the new session, the user's index under the active master key, then under the other master keys.
     * ARGV: session id, stored value, TTL in ms, session key prefix. A newer login replaces the user's older session
     * (WeChat has replaced its session_key): the sessions every index names are deleted, the new one written and
     * indexed, all at once.
     */
    private static final String REPLACE = """
            for i = 2, #KEYS do
              local old = redis.call('get', KEYS[i])
              if old and old ~= ARGV[1] then
                redis.call('del', ARGV[4] .. old)
              end
              if i > 2 then
                redis.call('del', KEYS[i])
              end
            end
            redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[3])
            return 1
            """;

    /** KEYS: session, user index. ARGV: session id. Drops the session, and the index if it still names it. */
    private static final String FORGET = """
            local existed = redis.call('del', KEYS[1])
            if redis.call('get', KEYS[2]) == ARGV[1] then
              redis.call('del', KEYS[2])
            end
            return existed
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedissonClient redisson;
    private final Duration bound;

    RedisSessionStore(RedissonClient redisson, RedisProperties redis) {
        this.redisson = redisson;
        this.bound = redis.commandBound().plusMillis(500);
    }

    /** Writes the session and makes it the user's only one in its environment. */
    Mono<Void> replace(StoredSession session, List<String> userIndexes, Duration lifetime) {
        List<Object> keys = new ArrayList<>();
        keys.add(SESSION_PREFIX + session.sessionId());
        userIndexes.forEach(user -> keys.add(userKey(session.environmentId(), user)));
        return Mono.fromCompletionStage(() -> redisson.getScript(StringCodec.INSTANCE).<Long>evalAsync(
                        RScript.Mode.READ_WRITE, REPLACE, RScript.ReturnType.LONG, keys,
                        session.sessionId(), session.toJson(), Long.toString(lifetime.toMillis()), SESSION_PREFIX))
                .timeout(bound)
                .then();
    }

    /** The stored session, or empty when it is unknown, expired or replaced. */
    Mono<StoredSession> find(String sessionId) {
        return Mono.fromCompletionStage(() -> redisson.<String>getBucket(SESSION_PREFIX + sessionId, StringCodec.INSTANCE)
                        .getAsync())
                .timeout(bound)
                .flatMap(value -> Mono.justOrEmpty(StoredSession.fromJson(sessionId, value)));
    }

    /** Drops the session (and its index entry if it is still the user's latest); whether it was there. */
    Mono<Boolean> forget(StoredSession session) {
        List<Object> keys = List.of(SESSION_PREFIX + session.sessionId(),
                userKey(session.environmentId(), session.userIndex()));
        return Mono.fromCompletionStage(() -> redisson.getScript(StringCodec.INSTANCE).<Long>evalAsync(
                        RScript.Mode.READ_WRITE, FORGET, RScript.ReturnType.LONG, keys, session.sessionId()))
                .timeout(bound)
                .map(deleted -> deleted > 0);
    }

    static String userKey(long environmentId, String userIndex) {
        return USER_PREFIX + environmentId + ":" + userIndex;
    }

    /**
     * A session as stored: in clear only what is no secret and names no user (environment, its address, the keyed
     * hash of the openid, the expiry), the rest sealed by {@link SessionSealer}.
     */
    record StoredSession(String sessionId, long environmentId, String credential, String userIndex, Instant expiresAt,
                         String sealed) {

        String toJson() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("environment_id", environmentId);
            value.put("credential", credential);
            value.put("user", userIndex);
            value.put("expires_at", expiresAt.toEpochMilli());
            value.put("sealed", sealed);
            return JSON.writeValueAsString(value);
        }

        static StoredSession fromJson(String sessionId, String value) {
            try {
                JsonNode json = JSON.readTree(value);
                if (!json.path("environment_id").canConvertToLong() || !json.path("sealed").isString()) {
                    return null;
                }
                return new StoredSession(sessionId, json.path("environment_id").asLong(),
                        json.path("credential").asString(""), json.path("user").asString(""),
                        Instant.ofEpochMilli(json.path("expires_at").asLong(0)), json.path("sealed").asString());
            } catch (JacksonException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "StoredSession[" + credential + ", expiresAt=" + expiresAt + "]";
        }
    }
}
