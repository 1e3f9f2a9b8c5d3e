package dev.tokencenter.miniprogram;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.ClientRight;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.wechat.MiniProgramCallException;
import dev.tokencenter.wechat.WechatMiniProgramClient;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code POST .../sessions} (login), {@code POST .../sessions/{id}/decrypt}, {@code POST .../sessions/{id}/check} and
 * {@code DELETE .../sessions/{id}} (logout). Order of checks: the grant (403), the environment (404, 409), the body
 * (400), the client's rate limit (429), then the session and WeChat.
 */
@Component
class SessionHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MiniProgramApps apps;
    private final MiniProgramSessions sessions;
    private final ManagedTokenCalls tokenCalls;
    private final WechatMiniProgramClient wechat;
    private final ClientCallCounter calls;
    private final PerClientRateLimiter loginLimiter;
    private final PerClientRateLimiter decryptLimiter;
    private final Duration watermarkMaxAge;
    private final Clock clock;

    SessionHandler(MiniProgramApps apps, MiniProgramSessions sessions, ManagedTokenCalls tokenCalls,
                   WechatMiniProgramClient wechat, ClientCallCounter calls, MiniProgramProperties properties, Clock clock) {
        this.apps = apps;
        this.sessions = sessions;
        this.tokenCalls = tokenCalls;
        this.wechat = wechat;
        this.calls = calls;
        this.loginLimiter = new PerClientRateLimiter(properties.sessionsPerMinute(), Duration.ofMinutes(1));
        this.decryptLimiter = new PerClientRateLimiter(properties.decryptionsPerMinute(), Duration.ofMinutes(1));
        this.watermarkMaxAge = properties.watermarkMaxAge();
        this.clock = clock;
    }

    Mono<ServerResponse> create(ServerRequest request) {
        MiniProgramCall call = MiniProgramCall.of(request);
        if (!call.granted(ClientRight.SESSION)) {
            return call.notGranted(ClientRight.SESSION);
        }
        return apps.find(call.credential())
                .flatMap(app -> call.body(request, MiniProgramRequests.LoginRequest.class).flatMap(body -> {
                    String code = MiniProgramCall.required("code", body.code(), MiniProgramRequests.MAX_CODE_LENGTH);
                    limit(loginLimiter, call, "creates sessions");
                    calls.record(call.client().id(), call.credential(), "sessions.create");
                    return sessions.login(app, code);
                }))
                .flatMap(session -> ServerResponse.created(URI.create(call.path() + "/" + session.sessionId()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(MiniProgramResponses.SessionResponse.of(session)))
                .onErrorResume(MiniProgramCall::answerable, error -> call.problem(error, clock.instant()));
    }

    Mono<ServerResponse> decrypt(ServerRequest request) {
        MiniProgramCall call = MiniProgramCall.of(request);
        if (!call.granted(ClientRight.SESSION)) {
            return call.notGranted(ClientRight.SESSION);
        }
        String sessionId = request.pathVariable("session");
        return apps.find(call.credential())
                .flatMap(app -> call.body(request, MiniProgramRequests.DecryptRequest.class).flatMap(body -> {
                    String data = MiniProgramCall.required("encrypted_data", body.encryptedData(), Integer.MAX_VALUE);
                    String iv = MiniProgramCall.required("iv", body.iv(), MiniProgramRequests.MAX_CODE_LENGTH);
                    limit(decryptLimiter, call, "decrypts data");
                    return sessions.find(app, sessionId).map(session -> {
                        calls.record(call.client().id(), call.credential(), "sessions.decrypt");
                        return JSON.writeValueAsBytes(EncryptedDataDecryptor.decrypt(session.sessionKey(), data, iv,
                                app.appid(), clock.instant(), watermarkMaxAge));
                    });
                }))
                // bytes: the codec logs their size, never the user's data
                .flatMap(json -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json))
                .onErrorResume(MiniProgramCall::answerable, error -> call.problem(error, clock.instant()));
    }

    Mono<ServerResponse> check(ServerRequest request) {
        MiniProgramCall call = MiniProgramCall.of(request);
        if (!call.granted(ClientRight.SESSION)) {
            return call.notGranted(ClientRight.SESSION);
        }
        String sessionId = request.pathVariable("session");
        return apps.find(call.credential())
                .flatMap(app -> sessions.find(app, sessionId).flatMap(session -> {
                    calls.record(call.client().id(), call.credential(), "sessions.check");
                    String signature = SessionSignature.forCheck(session.sessionKey());
                    return tokenCalls.withToken(call.credential(),
                                    token -> wechat.checkSession(token, session.openid(), signature))
                            .thenReturn(session)
                            .onErrorResume(SessionHandler::staleSession, stale -> sessions.forget(app, sessionId)
                                    .then(Mono.error(new MiniProgramRefusal(Problem.of(ProblemType.LOGIN_REQUIRED,
                                            "WeChat no longer accepts this session's session_key (errcode 87009):"
                                                    + " the user logged in elsewhere or the login expired. The session"
                                                    + " is forgotten; log the user in again.")
                                            .property("errcode", 87009)))));
                }))
                .flatMap(session -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(MiniProgramResponses.SessionResponse.of(session)))
                .onErrorResume(MiniProgramCall::answerable, error -> call.problem(error, clock.instant()));
    }

    Mono<ServerResponse> forget(ServerRequest request) {
        MiniProgramCall call = MiniProgramCall.of(request);
        if (!call.granted(ClientRight.SESSION)) {
            return call.notGranted(ClientRight.SESSION);
        }
        String sessionId = request.pathVariable("session");
        return apps.find(call.credential())
                .flatMap(app -> sessions.forget(app, sessionId).flatMap(forgotten -> {
                    if (!forgotten) {
                        return Mono.<ServerResponse>error(MiniProgramSessions.unknown(app));
                    }
                    calls.record(call.client().id(), call.credential(), "sessions.delete");
                    return ServerResponse.noContent().build();
                }))
                .onErrorResume(MiniProgramCall::answerable, error -> call.problem(error, clock.instant()));
    }

    private static void limit(PerClientRateLimiter limiter, MiniProgramCall call, String what) {
        Duration wait = limiter.tryAcquire(call.client().id());
        if (!wait.isZero()) {
            throw MiniProgramCall.rateLimited(what, wait);
        }
    }

    private static boolean staleSession(Throwable error) {
        return error instanceof MiniProgramCallException call
                && call.failure() == MiniProgramCallException.Failure.ERRCODE && call.errcode() == 87009;
    }
}
