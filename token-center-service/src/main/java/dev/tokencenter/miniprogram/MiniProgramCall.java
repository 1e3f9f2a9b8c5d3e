package dev.tokencenter.miniprogram;

import dev.tokencenter.client.ClientPrincipal;
import dev.tokencenter.client.ClientRight;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.token.TokenUnavailableException;
import dev.tokencenter.wechat.MiniProgramCallException;
import dev.tokencenter.web.FieldViolation;
import dev.tokencenter.web.JsonBodyProblems;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One request to a mini program endpoint: the authenticated client, the tenant/app/env of the path, and the one
 * mapping from what can go wrong to a problem of the catalogue (anything else reaches the service's exception
 * handler).
 */
record MiniProgramCall(ClientPrincipal client, CredentialKey credential, String path) {

    private static final Duration UNKNOWN_RETRY_AFTER = Duration.ofSeconds(60);

    static MiniProgramCall of(ServerRequest request) {
        var variables = request.pathVariables();
        return new MiniProgramCall(request.exchange().getAttribute(ClientPrincipal.EXCHANGE_ATTRIBUTE),
                new CredentialKey(variables.get("tenant"), variables.get("app"), variables.get("env")), request.path());
    }

    /** Checked before anything else, so that a client learns nothing of what it is not granted. */
    boolean granted(ClientRight right) {
        return client != null && client.mayUse(right, credential.tenant(), credential.app(), credential.env());
    }

    Mono<ServerResponse> notGranted(ClientRight right) {
        return Problem.of(ProblemType.NOT_GRANTED, "This client key is not granted the right '" + right.wireName()
                + "' on " + credential + ".").toResponse(path);
    }

    /** The JSON body, or a refusal naming what is wrong with it. */
    <T> Mono<T> body(ServerRequest request, Class<T> type) {
        // deferred: a Content-Type that cannot be parsed fails when the body is asked for
        return Mono.defer(() -> request.bodyToMono(type))
                .switchIfEmpty(Mono.error(() -> invalid(null, "A JSON request body is required.")))
                .onErrorMap(JsonBodyProblems::isUnreadableBody, error -> {
                    Problem described = JsonBodyProblems.describe(error, ProblemType.INVALID_REQUEST);
                    return new MiniProgramRefusal(described != null ? described
                            : Problem.of(ProblemType.INVALID_REQUEST, "The request body must be a JSON object."));
                });
    }

    /** A required string field: present and not empty (never trimmed), at most {@code maxLength} characters. */
    static String required(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw invalid(field, "is required");
        }
        return optional(field, value, maxLength);
    }

    static String optional(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw invalid(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    static MiniProgramRefusal invalid(String field, String message) {
        if (field == null) {
            return new MiniProgramRefusal(Problem.of(ProblemType.INVALID_REQUEST, message));
        }
        return new MiniProgramRefusal(Problem.of(ProblemType.INVALID_REQUEST, "invalid input: " + field + " " + message)
                .errors(List.of(new FieldViolation(field, message))));
    }

    static MiniProgramRefusal rateLimited(String what, Duration wait) {
        return new MiniProgramRefusal(Problem.of(ProblemType.RATE_LIMITED, "This client " + what
                + " too often; retry later.").retryAfter(wait));
    }

    /** Whether {@link #problem} has an answer for this failure. */
    static boolean answerable(Throwable error) {
        return error instanceof MiniProgramRefusal || error instanceof MiniProgramCallException
                || error instanceof DecryptionFailure || error instanceof CredentialNotFoundException
                || error instanceof TokenUnavailableException;
    }

    Mono<ServerResponse> problem(Throwable error, Instant now) {
        return problemFor(error, now).toResponse(path);
    }

    private Problem problemFor(Throwable error, Instant now) {
        if (error instanceof MiniProgramRefusal refusal) {
            return refusal.problem();
        }
        if (error instanceof MiniProgramCallException call) {
            return UpstreamProblems.of(call, credential, now);
        }
        if (error instanceof DecryptionFailure failure) {
            return DecryptionProblems.of(failure);
        }
        if (error instanceof TokenUnavailableException unavailable) {
            Duration retryAfter = unavailable.retryAfter() == null ? UNKNOWN_RETRY_AFTER : unavailable.retryAfter();
            return Problem.of(ProblemType.TOKEN_UNAVAILABLE, "No usable access token for " + credential
                    + " right now: " + unavailable.getMessage()).retryAfter(retryAfter);
        }
        return Problem.of(ProblemType.CREDENTIAL_NOT_FOUND, "There is no app/environment " + credential + ".");
    }
}
