package dev.tokencenter.token;

import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.web.JsonBodyProblems;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code GET /v1/tokens/{tenant}/{app}/{env}} and {@code POST .../invalidate}. The security chain has already
 * authenticated the client key; here the grant is checked (403 before anything reveals whether the credential
 * exists: 404 only inside what the client may see), then the token comes from the refresh engine's near cache.
 */
@Component
class TokenHandler {

    private static final String MISSING_TOKEN =
            "The body must be JSON with a non-empty \"access_token\": the token WeChat rejected.";

    /** When no time is known (a stopped credential waits for an admin), clients are asked to come back in a minute. */
    static final Duration UNKNOWN_RETRY_AFTER = Duration.ofSeconds(60);

    private final TokenSource tokens;
    private final TokenReadCounter reads;
    private final PerClientRateLimiter invalidateLimiter;
    private final long maxCacheAgeSeconds;
    private final Clock clock;

    TokenHandler(TokenSource tokens, TokenReadCounter reads, TokenApiProperties properties, ObjectProvider<Clock> clock) {
        this.tokens = tokens;
        this.reads = reads;
        this.invalidateLimiter = new PerClientRateLimiter(properties.invalidateLimit().permits(),
                properties.invalidateLimit().period());
        this.maxCacheAgeSeconds = properties.maxCacheAge().toSeconds();
        this.clock = clock.getIfUnique(Clock::systemUTC);
    }

    Mono<ServerResponse> current(ServerRequest request) {
        ClientPrincipal client = request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE);
        CredentialKey credential = credentialOf(request);
        if (client == null || !client.mayRead(credential.tenant(), credential.app(), credential.env())) {
            return notGranted(request.path(), credential);
        }
        return tokens.current(credential)
                .flatMap(token -> respond(client, token))
                .onErrorResume(TokenHandler::isTokenProblem, error -> tokenProblem(request.path(), credential, error));
    }

    Mono<ServerResponse> invalidate(ServerRequest request) {
        ClientPrincipal client = request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE);
        CredentialKey credential = credentialOf(request);
        if (client == null || !client.mayRead(credential.tenant(), credential.app(), credential.env())) {
            return notGranted(request.path(), credential);
        }
        String path = request.path();
        // deferred: a Content-Type that cannot be parsed fails when the body is asked for
        return Mono.defer(() -> request.bodyToMono(InvalidateRequest.class))
                .filter(body -> body.accessToken() != null && !body.accessToken().isBlank())
                .flatMap(body -> {
                    Duration wait = invalidateLimiter.tryAcquire(client.id());
                    if (!wait.isZero()) {
                        return Problem.of(ProblemType.RATE_LIMITED,
                                "This client reports failing tokens too often; retry later.").retryAfter(wait).toResponse(path);
                    }
                    return tokens.reportRejected(credential, body.accessToken())
                            .flatMap(answer -> {
                                if (answer.verdict() == ReportAnswer.Verdict.CONFIRMED_VALID) {
                                    invalidateLimiter.refund(client.id());
                                }
                                return respond(client, answer.token(), answer.verdict());
                            })
                            .onErrorResume(TokenHandler::isTokenProblem, error -> {
                                invalidateLimiter.refund(client.id());
                                return tokenProblem(path, credential, error);
                            });
                })
                .switchIfEmpty(Mono.defer(() -> Problem.of(ProblemType.INVALID_REQUEST, MISSING_TOKEN).toResponse(path)))
                .onErrorResume(JsonBodyProblems::isUnreadableBody, error -> unreadable(path, error));
    }

    private static Mono<ServerResponse> unreadable(String path, Throwable error) {
        Problem described = JsonBodyProblems.describe(error, ProblemType.INVALID_REQUEST);
        return (described != null ? described : Problem.of(ProblemType.INVALID_REQUEST, MISSING_TOKEN)).toResponse(path);
    }

    private Mono<ServerResponse> respond(ClientPrincipal client, IssuedToken token) {
        return respond(client, token, null);
    }

    private Mono<ServerResponse> respond(ClientPrincipal client, IssuedToken token, ReportAnswer.Verdict verdict) {
        reads.record(client.id(), token.credential());
        TokenReply reply = TokenReply.of(token, clock.instant(), maxCacheAgeSeconds, verdict);
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, reply.cacheControl())
                .bodyValue(reply.body());
    }

    private static CredentialKey credentialOf(ServerRequest request) {
        var variables = request.pathVariables();
        return new CredentialKey(variables.get("tenant"), variables.get("app"), variables.get("env"));
    }

    private static Mono<ServerResponse> notGranted(String path, CredentialKey credential) {
        return Problem.of(ProblemType.NOT_GRANTED, "This client key is not granted " + credential + ".").toResponse(path);
    }

    static boolean isTokenProblem(Throwable error) {
        return error instanceof CredentialNotFoundException || error instanceof TokenUnavailableException;
    }

    static Mono<ServerResponse> tokenProblem(String path, CredentialKey credential, Throwable error) {
        if (error instanceof TokenUnavailableException unavailable) {
            Duration retryAfter = unavailable.retryAfter() == null ? UNKNOWN_RETRY_AFTER : unavailable.retryAfter();
            return Problem.of(ProblemType.TOKEN_UNAVAILABLE, "No usable token for " + credential + " right now: "
                    + unavailable.getMessage()).retryAfter(retryAfter).toResponse(path);
        }
        return Problem.of(ProblemType.CREDENTIAL_NOT_FOUND, "There is no app/environment " + credential + ".").toResponse(path);
    }

    /** Body of {@code POST .../invalidate}. */
    @Schema(name = "InvalidateRequest")
    record InvalidateRequest(
            @Schema(description = "The token WeChat rejected", requiredMode = Schema.RequiredMode.REQUIRED)
            String accessToken) {

        @Override
        public String toString() {
            return "InvalidateRequest[access_token hidden]";
        }
    }
}
