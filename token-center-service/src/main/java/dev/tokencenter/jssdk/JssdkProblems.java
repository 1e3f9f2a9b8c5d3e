package dev.tokencenter.jssdk;

import dev.tokencenter.refresh.TicketUnavailableException;
import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import dev.tokencenter.token.TokenUnavailableException;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;

/** The problems of the JS-SDK endpoints, from the failures of the token and ticket reads. */
final class JssdkProblems {

    /** When no time is known, clients are asked to come back in a minute. */
    private static final Duration UNKNOWN_RETRY_AFTER = Duration.ofSeconds(60);

    static boolean isKnown(Throwable error) {
        return error instanceof CredentialNotFoundException || error instanceof TokenUnavailableException
                || error instanceof TicketUnavailableException || error instanceof NoTicketsException;
    }

    Mono<ServerResponse> notGranted(String path, CredentialKey credential) {
        return Problem.of(ProblemType.NOT_GRANTED, "This client key is not granted the JS-SDK of " + credential + ".")
                .toResponse(path);
    }

    Mono<ServerResponse> of(String path, CredentialKey credential, Throwable error) {
        if (error instanceof NoTicketsException noTickets) {
            return Problem.of(ProblemType.JSSDK_NOT_SUPPORTED, noTickets.getMessage() + ".").toResponse(path);
        }
        if (error instanceof TicketUnavailableException unavailable) {
            return Problem.of(ProblemType.TICKET_UNAVAILABLE, "No usable JS-SDK ticket right now: " + unavailable.getMessage())
                    .retryAfter(retryAfter(unavailable.retryAfter())).toResponse(path);
        }
        if (error instanceof TokenUnavailableException unavailable) {
            return Problem.of(ProblemType.TOKEN_UNAVAILABLE, "No usable token for " + credential + " right now: "
                    + unavailable.getMessage()).retryAfter(retryAfter(unavailable.retryAfter())).toResponse(path);
        }
        return Problem.of(ProblemType.CREDENTIAL_NOT_FOUND, "There is no app/environment " + credential + ".").toResponse(path);
    }

    private static Duration retryAfter(Duration known) {
        return known == null ? UNKNOWN_RETRY_AFTER : known;
    }
}
