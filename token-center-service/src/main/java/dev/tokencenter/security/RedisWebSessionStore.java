package dev.tokencenter.security;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.StringCodec;
import dev.tokencenter.web.EventLoopResponses;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionStore;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Admin sessions in Redis, so that every instance behind one address knows every session (no sticky sessions). A
 * session is stored under the SHA-256 of its id (whoever reads Redis cannot take a session over), as JSON of its
 * creation time and its string attributes, and expires after {@code maxIdle} without a request (reading a session
 * renews it). Every Redis call is bounded; when Redis does not answer, the request fails (503 {@code redis-unavailable}).
 * <p>
 * Redis is called only inside the filter chain (reading a session, saving it at login, deleting it), and work goes on on
 * the connection's event loop afterwards ({@link EventLoopResponses}); never while the response commits, where
 * Spring's session manager would save it: a response committed from a Redisson thread left the browser's keep-alive
 * connection unread (its next request, often the login, hung).
 */
final class RedisWebSessionStore implements WebSessionStore {

    static final String KEY_PREFIX = "token-center:session:";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Reads a session and renews its idle timeout in one step (a request counts as activity). */
    private static final String READ_AND_RENEW = """
            local value = redis.call('GET', KEYS[1])
            if value then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return value""";

    record Stored(long createdAt, Map<String, String> attributes) {
    }

    /**
     * Every call is idempotent (a read that renews the timeout, a write of the whole session, a delete): one that took
     * too long is tried once more, so a moment of load on Redis does not log anybody out or fail an admin request.
     */
    private static final Retry ONCE_MORE = Retry.max(1).filter(RedisTimeoutException.class::isInstance);

    private final RedissonClient redisson;
    private final Duration maxIdle;
    private final Duration bound;
    private final Clock clock;

    RedisWebSessionStore(RedissonClient redisson, Duration maxIdle, Duration bound, Clock clock) {
        this.redisson = redisson;
        this.maxIdle = maxIdle;
        this.bound = bound;
        this.clock = clock;
    }

    @Override
    public Mono<WebSession> createWebSession() {
        Instant now = clock.instant();
        return Mono.just(new RedisWebSession(this, newId(), now, now, Map.of(), false));
    }

    @Override
    public Mono<WebSession> retrieveSession(String sessionId) {
        return Mono.fromCompletionStage(() -> redisson.getScript(StringCodec.INSTANCE).<String>evalAsync(
                        RScript.Mode.READ_WRITE, READ_AND_RENEW, RScript.ReturnType.VALUE, List.of(key(sessionId)),
                        Long.toString(maxIdle.toMillis())))
                .timeout(bound, Mono.error(RedisWebSessionStore::timedOut)).retryWhen(ONCE_MORE)
                .transform(EventLoopResponses::onConnectionLoop)
                .map(json -> {
                    Stored stored = JSON.readValue(json, Stored.class);
                    return new RedisWebSession(this, sessionId, Instant.ofEpochMilli(stored.createdAt()), clock.instant(),
                            stored.attributes(), true);
                });
    }

    @Override
    public Mono<Void> removeSession(String sessionId) {
        return Mono.fromCompletionStage(() -> redisson.getBucket(key(sessionId), StringCodec.INSTANCE).deleteAsync())
                .timeout(bound, Mono.error(RedisWebSessionStore::timedOut)).retryWhen(ONCE_MORE).then().transform(EventLoopResponses::onConnectionLoop);
    }

    @Override
    public Mono<WebSession> updateLastAccessTime(WebSession session) {
        return Mono.fromSupplier(() -> {
            ((RedisWebSession) session).accessed(clock.instant());
            return session;
        });
    }

    Mono<Void> write(String sessionId, Instant createdAt, Map<String, String> attributes, Duration idle) {
        String json = JSON.writeValueAsString(new Stored(createdAt.toEpochMilli(), attributes));
        return Mono.fromCompletionStage(() -> redisson.<String>getBucket(key(sessionId), StringCodec.INSTANCE)
                        .setAsync(json, idle))
                .timeout(bound, Mono.error(RedisWebSessionStore::timedOut)).retryWhen(ONCE_MORE).then()
                .transform(EventLoopResponses::onConnectionLoop);
    }

    Duration maxIdle() {
        return maxIdle;
    }

    boolean expired(Instant lastAccess, Duration idle) {
        return !idle.isNegative() && lastAccess.plus(idle).isBefore(clock.instant());
    }

    /** A Redis call that took too long counts as Redis being unavailable (503 redis-unavailable). */
    private static RedisTimeoutException timedOut() {
        return new RedisTimeoutException("the session store did not answer in time");
    }

    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String key(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
