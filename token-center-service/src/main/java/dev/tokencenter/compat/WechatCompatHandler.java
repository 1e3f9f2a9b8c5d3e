package dev.tokencenter.compat;

import dev.tokencenter.client.ApiClientDirectory;
import dev.tokencenter.client.ClientDirectoryUnavailableException;
import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.token.IssuedToken;
import dev.tokencenter.token.ReportAnswer;
import dev.tokencenter.token.TokenApiProperties;
import dev.tokencenter.token.TokenJson;
import dev.tokencenter.token.TokenReadCounter;
import dev.tokencenter.token.TokenSource;
import dev.tokencenter.token.TokenUnavailableException;
import dev.tokencenter.web.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * WeChat's {@code /cgi-bin/token} and {@code /cgi-bin/stable_token} and WeCom's {@code /cgi-bin/gettoken}, answered
 * in their exact shapes (errors as {@code {"errcode","errmsg"}} with HTTP 200), so SDKs only need their API host or
 * token URL pointed here. The "secret" is a client key, never an AppSecret; the AppID must belong to the key's tenant
 * and be granted to it (else 40013, as for an AppID WeChat does not know).
 */
@Component
class WechatCompatHandler {

    private static final Logger log = LoggerFactory.getLogger(WechatCompatHandler.class);

    static final String CLIENT_CREDENTIAL = "client_credential";

    private final ApiClientDirectory clients;
    private final CompatCredentials credentials;
    private final TokenSource tokens;
    private final TokenReadCounter reads;
    private final RepeatedFetchDetector repeatedFetches;
    private final PerClientRateLimiter forceRefreshLimiter;
    private final Clock clock;

    WechatCompatHandler(ApiClientDirectory clients, CompatCredentials credentials, TokenSource tokens,
                        TokenReadCounter reads, RepeatedFetchDetector repeatedFetches,
                        TokenApiProperties properties, ObjectProvider<Clock> clock) {
        this.clients = clients;
        this.credentials = credentials;
        this.tokens = tokens;
        this.reads = reads;
        this.repeatedFetches = repeatedFetches;
        this.forceRefreshLimiter = new PerClientRateLimiter(properties.forceRefreshLimit().permits(),
                properties.forceRefreshLimit().period());
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    /** {@code GET /cgi-bin/token?grant_type=client_credential&appid=APPID&secret=CLIENT_KEY}. */
    Mono<ServerResponse> token(ServerRequest request) {
        return fetch(request, Shape.WECHAT, request.queryParam("grant_type").orElse(null),
                request.queryParam("appid").orElse(null), request.queryParam("secret").orElse(null), false);
    }

    /** {@code POST /cgi-bin/stable_token} with {@code {"grant_type","appid","secret","force_refresh"}}. */
    Mono<ServerResponse> stableToken(ServerRequest request) {
        return Mono.defer(() -> request.bodyToMono(JsonNode.class))
                .map(StableTokenBody::of)
                .onErrorResume(error -> Mono.just(Optional.empty()))
                .defaultIfEmpty(Optional.empty())
                .flatMap(parsed -> {
                    if (parsed.isEmpty()) {
                        return error(Shape.WECHAT, WechatErrors.DATA_FORMAT_ERROR);
                    }
                    StableTokenBody body = parsed.get();
                    return fetch(request, Shape.WECHAT, body.grantType(), body.appid(), body.secret(), body.forceRefresh());
                });
    }

    /**
     * Whatever went wrong unexpectedly (PostgreSQL unreachable while the catalog loads, a bug): WeChat's "system
     * error", which SDKs retry with backoff, never a stack trace or an answer outside WeChat's vocabulary.
     */
    Mono<ServerResponse> failed(Throwable failure, ServerRequest request) {
        Shape shape = request.path().equals("/cgi-bin/gettoken") ? Shape.WECOM : Shape.WECHAT;
        if (Failures.isDependencyFailure(failure)) {
            log.warn("{} failed, a dependency is unreachable: {}", request.path(), failure.getClass().getSimpleName());
            return unavailable(shape, Failures.DEPENDENCY_RETRY_AFTER);
        }
        log.error("{} failed", request.path(), failure);
        return error(shape, WechatErrors.SYSTEM_BUSY);
    }

    /** {@code GET /cgi-bin/stable_token}: WeChat answers 43002. */
    Mono<ServerResponse> stableTokenWithGet(ServerRequest request) {
        return error(Shape.WECHAT, WechatErrors.REQUIRE_POST);
    }

    /** WeCom: {@code GET /cgi-bin/gettoken?corpid=CORPID&corpsecret=CLIENT_KEY}. */
    Mono<ServerResponse> wecomToken(ServerRequest request) {
        return fetch(request, Shape.WECOM, CLIENT_CREDENTIAL, request.queryParam("corpid").orElse(null),
                request.queryParam("corpsecret").orElse(null), false);
    }

    private Mono<ServerResponse> fetch(ServerRequest request, Shape shape, String grantType, String appid,
                                       String key, boolean forceRefresh) {
        if (!CLIENT_CREDENTIAL.equals(grantType)) {
            return error(shape, WechatErrors.INVALID_GRANT_TYPE);
        }
        if (appid == null || appid.isBlank()) {
            return error(shape, WechatErrors.APPID_MISSING);
        }
        if (key == null || key.isBlank()) {
            return error(shape, WechatErrors.APPSECRET_MISSING);
        }
        return clients.authenticate(key)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(client -> client.isPresent()
                        ? serve(request, shape, client.get(), appid, forceRefresh)
                        : error(shape, shape.wrongKeyErrcode))
                .onErrorResume(ClientDirectoryUnavailableException.class, e -> error(shape, WechatErrors.SYSTEM_BUSY));
    }

    private Mono<ServerResponse> serve(ServerRequest request, Shape shape, ClientPrincipal client, String appid,
                                       boolean forceRefresh) {
        return credentials.findByAppid(client.tenant(), appid)
                .map(found -> CompatCredential.grantedTo(found, client, shape == Shape.WECOM))
                .flatMap(credential -> {
                    if (credential.isEmpty()) {
                        return error(shape, WechatErrors.INVALID_APPID);
                    }
                    CompatCredential target = credential.get();
                    Mono<IssuedToken> token;
                    if (forceRefresh) {
                        Duration wait = forceRefreshLimiter.tryAcquire(client.id());
                        if (!wait.isZero()) {
                            return rateLimited(wait);
                        }
                        token = tokens.current(target.key())
                                .flatMap(current -> tokens.reportRejected(target.key(), current.accessToken()))
                                .doOnNext(answer -> {
                                    if (answer.verdict() == ReportAnswer.Verdict.CONFIRMED_VALID) {
                                        forceRefreshLimiter.refund(client.id());
                                    }
                                })
                                .map(ReportAnswer::token);
                    } else {
                        token = tokens.current(target.key()).flatMap(current -> checkedIfRepeated(request, client, target, current));
                    }
                    return token.flatMap(issued -> success(request, shape, client, target, issued))
                            .onErrorResume(CredentialNotFoundException.class, e -> error(shape, WechatErrors.INVALID_APPID))
                            .onErrorResume(TokenUnavailableException.class, e -> unavailable(shape, e.retryAfter()));
                });
    }

    /**
     * A caller that asks again for the token it already holds has probably been told by WeChat that it no longer
     * works: a report to the refresh engine, which asks WeChat first (budgeted) and refreshes only if WeChat rejects
     * it. A suspicion that could not be checked gets the current token, as any fetch does.
     */
    private Mono<IssuedToken> checkedIfRepeated(ServerRequest request, ClientPrincipal client, CompatCredential credential,
                                                IssuedToken current) {
        if (!repeatedFetches.alreadyHolds(caller(request, client, credential), current.accessToken())) {
            return Mono.just(current);
        }
        return tokens.reportRejected(credential.key(), current.accessToken())
                .map(ReportAnswer::token)
                .onErrorResume(TokenUnavailableException.class, e -> Mono.just(current));
    }

    private Mono<ServerResponse> success(ServerRequest request, Shape shape, ClientPrincipal client,
                                         CompatCredential credential, IssuedToken token) {
        reads.record(client.id(), credential.key());
        repeatedFetches.handed(caller(request, client, credential), token.accessToken());
        byte[] body = CompatTokenAnswer.body(shape == Shape.WECOM, token, clock.instant());
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, CompatTokenAnswer.CACHE_CONTROL)
                .bodyValue(body);
    }

    private static RepeatedFetchDetector.Caller caller(ServerRequest request, ClientPrincipal client, CompatCredential credential) {
        return RepeatedFetchDetector.Caller.of(client.id(), credential.key(), request.remoteAddress().orElse(null));
    }

    private static Mono<ServerResponse> error(Shape shape, int errcode) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(errorBody(shape, errcode));
    }

    /** No usable token: WeChat's "system busy" (SDKs back off and retry on -1), with the engine's Retry-After. */
    private static Mono<ServerResponse> unavailable(Shape shape, Duration retryAfter) {
        long seconds = retryAfter == null ? 1 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .bodyValue(errorBody(shape, WechatErrors.SYSTEM_BUSY));
    }

    /** Per-client limit on force_refresh: HTTP 429 with Retry-After, and WeChat's minute-quota error as the body. */
    private static Mono<ServerResponse> rateLimited(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .bodyValue(errorBody(Shape.WECHAT, WechatErrors.MINUTE_QUOTA));
    }

    private static byte[] errorBody(Shape shape, int errcode) {
        StringBuilder json = new StringBuilder(160).append("{\"errcode\":").append(errcode).append(",\"errmsg\":");
        TokenJson.string(json, shape == Shape.WECOM ? WechatErrors.wecomMessage(errcode) : WechatErrors.wechatMessage(errcode));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private enum Shape {
        WECHAT(WechatErrors.INVALID_APPSECRET),
        WECOM(WechatErrors.INVALID_CREDENTIAL);

        final int wrongKeyErrcode;

        Shape(int wrongKeyErrcode) {
            this.wrongKeyErrcode = wrongKeyErrcode;
        }
    }
}
