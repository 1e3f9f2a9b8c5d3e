package dev.tokencenter.miniprogram;

import dev.tokencenter.crypto.KeyedHashes;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.registry.SecretReader;
import dev.tokencenter.wechat.WechatMiniProgramClient;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Logins and the sessions they make: a code goes to {@code jscode2session} with the AppSecret (read from PostgreSQL
 * on boundedElastic only for this call), the answered session_key is sealed into Redis under a new session id and
 * replaces the user's previous session. A session is found only under the environment it was made for.
 */
@Component
class MiniProgramSessions {

    private static final String USER_INDEX_PURPOSE = "mp-user";

    private final SecretReader secrets;
    private final WechatMiniProgramClient wechat;
    private final SessionSealer sealer;
    private final RedisSessionStore store;
    private final KeyedHashes hashes;
    private final MiniProgramProperties properties;
    private final Clock clock;

    MiniProgramSessions(SecretReader secrets, WechatMiniProgramClient wechat, SessionSealer sealer,
                        RedisSessionStore store, KeyedHashes hashes, MiniProgramProperties properties, Clock clock) {
        this.secrets = secrets;
        this.wechat = wechat;
        this.sealer = sealer;
        this.store = store;
        this.hashes = hashes;
        this.properties = properties;
        this.clock = clock;
    }

    /** Exchanges the code (exactly as received) and keeps the new session. */
    Mono<LoginSession> login(MiniProgramApp app, String code) {
        return Mono.fromCallable(() -> secrets.secretOf(app.environmentId()))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.secretReadTimeout())
                // the environment was deleted since the catalog was read
                .onErrorMap(IllegalArgumentException.class, gone -> new CredentialNotFoundException(app.key()))
                .flatMap(secret -> wechat.jscode2session(app.appid(), secret, code))
                .flatMap(answer -> {
                    Instant expiresAt = clock.instant().plus(properties.sessionLifetime()).truncatedTo(ChronoUnit.MILLIS);
                    LoginSession session = new LoginSession(SessionIds.next(), app, answer.openid(), answer.unionid(),
                            answer.sessionKey(), expiresAt);
                    List<String> userIndexes = hashes.all(USER_INDEX_PURPOSE, userOf(app, answer.openid()));
                    RedisSessionStore.StoredSession stored = new RedisSessionStore.StoredSession(session.sessionId(),
                            app.environmentId(), app.key().toString(), userIndexes.get(0), expiresAt, sealer.seal(session));
                    return store.replace(stored, userIndexes, properties.sessionLifetime()).thenReturn(session);
                });
    }

    /** The session, or a refusal {@code unknown-session} (unknown, expired, replaced, or made for another environment). */
    Mono<LoginSession> find(MiniProgramApp app, String sessionId) {
        return stored(app, sessionId).flatMap(stored -> Mono.justOrEmpty(sealer.open(app, sessionId, stored.sealed()))
                        .map(user -> new LoginSession(sessionId, app, user.openid(), user.unionid(), user.sessionKey(),
                                stored.expiresAt())))
                .switchIfEmpty(Mono.error(() -> unknown(app)));
    }

    /** Forgets the session (logout, or WeChat said its session_key is stale). */
    Mono<Boolean> forget(MiniProgramApp app, String sessionId) {
        return stored(app, sessionId).flatMap(store::forget).defaultIfEmpty(false);
    }

    /** The stored session if it belongs to this environment (by row and address; the sealed part checks again). */
    private Mono<RedisSessionStore.StoredSession> stored(MiniProgramApp app, String sessionId) {
        if (!SessionIds.wellFormed(sessionId)) {
            return Mono.empty();
        }
        return store.find(sessionId).filter(stored -> stored.environmentId() == app.environmentId()
                && stored.credential().equals(app.key().toString()));
    }

    private static String userOf(MiniProgramApp app, String openid) {
        return app.environmentId() + ":" + openid;
    }

    static MiniProgramRefusal unknown(MiniProgramApp app) {
        return new MiniProgramRefusal(Problem.of(ProblemType.UNKNOWN_SESSION, "There is no such session of " + app.key()
                + ": it never existed, expired, was replaced by a newer login of the user, or was logged out."));
    }
}
