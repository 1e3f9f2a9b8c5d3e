package dev.tokencenter.web;

import dev.tokencenter.crypto.SealedValueException;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Turns any exception that reaches the web layer into a problem from the catalogue. Details are written here, never
 * copied from exception messages (a parser or database message can quote a submitted secret); the exceptions the
 * service throws for bad input, unknown things and conflicts carry messages written for the client. Anything
 * unexpected is a 500 whose only detail is "see the service log": no stack trace or class name leaves the service.
 */
public final class Failures {

    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    /** How long a client should wait before retrying when PostgreSQL or Redis is unreachable. */
    public static final Duration DEPENDENCY_RETRY_AFTER = Duration.ofSeconds(5);

    private Failures() {
    }

    public static Problem problemFor(Throwable failure) {
        if (failure instanceof InvalidInputException invalid) {
            return Problem.of(ProblemType.INVALID_INPUT, invalid.getMessage()).errors(invalid.violations());
        }
        if (failure instanceof NotFoundException) {
            return Problem.of(ProblemType.NOT_FOUND, failure.getMessage());
        }
        if (failure instanceof ConflictException) {
            return Problem.of(ProblemType.CONFLICT, failure.getMessage());
        }
        if (failure instanceof DataIntegrityViolationException) {
            log.info("Change refused by a database constraint: {}", failure.getClass().getSimpleName());
            return Problem.of(ProblemType.CONFLICT,
                    "The change conflicts with existing data or a concurrent change; nothing was written.");
        }
        if (failure instanceof SealedValueException sealed) {
            log.error("Sealed value cannot be opened: {}", sealed.getMessage());
            return Problem.of(ProblemType.SEALED_VALUE, sealed.getMessage());
        }
        Problem unavailable = unavailable(failure);
        if (unavailable != null) {
            log.warn("Request failed, {}: {}", unavailable.type().title().toLowerCase(), describe(failure));
            return unavailable;
        }
        if (JsonBodyProblems.tooLarge(failure)) {
            return Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the service accepts.");
        }
        if (failure instanceof InvalidMediaTypeException) {
            return Problem.of(ProblemType.INVALID_INPUT, "A Content-Type or Accept header of the request cannot be read.");
        }
        if (failure instanceof ServerWebInputException || failure instanceof DecodingException) {
            return unreadable(failure);
        }
        if (failure instanceof ErrorResponse response) {
            return fromStatus(response);
        }
        log.error("Request failed", failure);
        return Problem.of(ProblemType.INTERNAL, "The request failed; see the service log.");
    }

    private static Problem unreadable(Throwable failure) {
        Problem json = JsonBodyProblems.describe(failure, ProblemType.INVALID_INPUT);
        if (json != null) {
            return json;
        }
        if (failure instanceof MissingRequestValueException missing) {
            return Problem.of(ProblemType.INVALID_INPUT, "invalid input: " + missing.getName() + " is required")
                    .errors(List.of(new FieldViolation(missing.getName(), "is required")));
        }
        if (failure instanceof ServerWebInputException input && input.getCause() == null && input.getReason() != null
                && input.getReason().contains("body")) {
            return Problem.of(ProblemType.INVALID_INPUT, "A JSON request body is required.");
        }
        return Problem.of(ProblemType.INVALID_INPUT, "The request is malformed.");
    }

    /** PostgreSQL or Redis unreachable, or a bounded wait given up: worth a retry shortly. */
    public static boolean isDependencyFailure(Throwable failure) {
        return unavailable(failure) != null;
    }

    /** PostgreSQL, Redis or another bounded wait gave up: 503 with Retry-After; nothing was changed. */
    public static Problem unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisException) {
                return Problem.of(ProblemType.REDIS_UNAVAILABLE,
                        "Redis cannot be reached right now. Try again shortly.")
                        .retryAfter(DEPENDENCY_RETRY_AFTER);
            }
            if (cause instanceof DataAccessException && !notAnOutage(cause) || cause instanceof TransactionException
                    || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLNonTransientConnectionException) {
                return Problem.of(ProblemType.DATABASE_UNAVAILABLE,
                        "PostgreSQL cannot be reached right now; nothing was written to it. Try again shortly.")
                        .retryAfter(DEPENDENCY_RETRY_AFTER);
            }
            if (cause instanceof TimeoutException) {
                return Problem.of(ProblemType.SERVICE_UNAVAILABLE, "The request did not complete in time. Try again shortly.")
                        .retryAfter(DEPENDENCY_RETRY_AFTER);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** Data access failures that no retry fixes: a conflict (if wrapped), or a bug, reported as such. */
    private static boolean notAnOutage(Throwable failure) {
        return failure instanceof DataIntegrityViolationException || failure instanceof InvalidDataAccessApiUsageException
                || failure instanceof InvalidDataAccessResourceUsageException
                || failure instanceof IncorrectResultSizeDataAccessException;
    }

    private static Problem fromStatus(ErrorResponse response) {
        int status = response.getStatusCode().value();
        return switch (status) {
            case 401 -> Problem.of(ProblemType.UNAUTHENTICATED, "Authentication is required.");
            case 403 -> Problem.of(ProblemType.FORBIDDEN, "This request is not allowed.");
            case 404 -> Problem.of(ProblemType.NOT_FOUND, "There is nothing at this path.");
            case 405 -> allow(Problem.of(ProblemType.METHOD_NOT_ALLOWED, "This path does not answer this method."), response);
            case 406 -> Problem.of(ProblemType.NOT_ACCEPTABLE, "The answer is JSON; accept application/json.");
            case 413 -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than the service accepts.");
            case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json.");
            case 429 -> Problem.of(ProblemType.RATE_LIMITED, "Too many requests; retry later.");
            case 503 -> Problem.of(ProblemType.SERVICE_UNAVAILABLE, "Try again shortly.").retryAfter(DEPENDENCY_RETRY_AFTER);
            default -> status >= 500
                    ? logged(response)
                    : Problem.of(ProblemType.INVALID_INPUT, "The request is malformed.");
        };
    }

    private static Problem allow(Problem problem, ErrorResponse response) {
        if (response instanceof MethodNotAllowedException notAllowed && !notAllowed.getSupportedMethods().isEmpty()) {
            return problem.header(HttpHeaders.ALLOW, notAllowed.getSupportedMethods().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")));
        }
        return problem;
    }

    private static Problem logged(ErrorResponse response) {
        if (response instanceof Throwable failure) {
            log.error("Request failed with status {}", response.getStatusCode(), failure);
        } else {
            log.error("Request failed with status {}", response.getStatusCode());
        }
        return Problem.of(ProblemType.INTERNAL, "The request failed; see the service log.");
    }

    /** Class names of the chain, for the log: the messages may quote what was sent. */
    private static String describe(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = failure; cause != null && chain.length() < 300; cause = cause.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName());
            if (cause.getCause() == cause) {
                break;
            }
        }
        return chain.toString();
    }
}
