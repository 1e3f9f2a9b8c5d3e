package dev.tokencenter.token;

import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.PerClientRateLimiter;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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

    private static final String NOT_GRANTED_TITLE = "Not granted";

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
            return notGranted(credential);
        }
        return tokens.current(credential)
                .flatMap(token -> respond(client, token))
                .onErrorResume(TokenHandler::isTokenProblem, error -> tokenProblem(credential, error));
    }

    Mono<ServerResponse> invalidate(ServerRequest request) {
        ClientPrincipal client = request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE);
        CredentialKey credential = credentialOf(request);
        if (client == null || !client.mayRead(credential.tenant(), credential.app(), credential.env())) {
            return notGranted(credential);
        }
        return request.bodyToMono(InvalidateRequest.class)
                .onErrorResume(error -> Mono.empty())
                .filter(body -> body.accessToken() != null && !body.accessToken().isBlank())
                .flatMap(body -> {
                    Duration wait = invalidateLimiter.tryAcquire(client.id());
                    if (!wait.isZero()) {
                        return ProblemResponses.retryLater(HttpStatus.TOO_MANY_REQUESTS, wait, "rate-limited",
                                "Too many invalidations", "This client reports failing tokens too often; retry later.");
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
                                return tokenProblem(credential, error);
                            });
                })
                .switchIfEmpty(Mono.defer(() -> ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request",
                        "Invalid request", "The body must be JSON with a non-empty \"access_token\": the token WeChat rejected.")));
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

    private static Mono<ServerResponse> notGranted(CredentialKey credential) {
        return ProblemResponses.problem(HttpStatus.FORBIDDEN, "not-granted", NOT_GRANTED_TITLE,
                "This client key is not granted " + credential + ".");
    }

    static boolean isTokenProblem(Throwable error) {
        return error instanceof CredentialNotFoundException || error instanceof TokenUnavailableException;
    }

    static Mono<ServerResponse> tokenProblem(CredentialKey credential, Throwable error) {
        if (error instanceof TokenUnavailableException unavailable) {
            return ProblemResponses.retryLater(HttpStatus.SERVICE_UNAVAILABLE, unavailable.retryAfter(),
                    "token-unavailable", "No usable token", "No usable token for " + credential + " right now: "
                            + unavailable.getMessage());
        }
        return ProblemResponses.problem(HttpStatus.NOT_FOUND, "credential-not-found", "Unknown credential",
                "There is no app/environment " + credential + ".");
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
