package dev.tokencenter.admin;

import dev.tokencenter.crypto.SealedValueException;
import dev.tokencenter.web.ConflictException;
import dev.tokencenter.web.FieldViolation;
import dev.tokencenter.web.InvalidInputException;
import dev.tokencenter.web.NotFoundException;
import dev.tokencenter.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;

import java.util.List;

/**
 * Problem details for the admin API. Details are written here, never copied from parser or database messages,
 * which could quote submitted values. Ordered first so that it, not the generic problem-details handler, answers for
 * the admin controllers.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackageClasses = AdminApiExceptionHandler.class)
class AdminApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AdminApiExceptionHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidInputException e) {
        return invalid(e.getMessage(), e.violations());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return respond(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return respond(Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage()));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.info("Admin change refused by a database constraint: {}", e.getClass().getSimpleName());
        return respond(Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict",
                "The change conflicts with existing data or a concurrent change; nothing was written."));
    }

    /** PostgreSQL unreachable or overloaded: fail fast, the client may retry (reads of tokens are not affected). */
    @ExceptionHandler({CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
            TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("Admin request failed, database unavailable: {}", e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                        "The registry database cannot be reached; nothing was changed. Try again shortly."));
    }

    @ExceptionHandler(SealedValueException.class)
    ResponseEntity<ProblemDetail> sealed(SealedValueException e) {
        log.error("Sealed value cannot be opened: {}", e.getMessage());
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "sealed-value", "Stored secret unreadable",
                e.getMessage()));
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
        String field = fieldOf(e);
        if (field != null) {
            return invalid("invalid input: " + field + " has the wrong type or is malformed",
                    List.of(new FieldViolation(field, "has the wrong type or is malformed")));
        }
        String detail = e.getCause() == null && e.getReason() != null && e.getReason().contains("body")
                ? "A JSON request body is required." : "The request is malformed (expected a JSON object).";
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> other(Exception e) {
        if (e instanceof ErrorResponse response) {
            return ResponseEntity.status(response.getStatusCode()).body(response.getBody());
        }
        log.error("Admin API request failed", e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The request failed; see the service log."));
    }

    private static ResponseEntity<ProblemDetail> invalid(String detail, List<FieldViolation> violations) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail);
        problem.setProperty("errors", violations);
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** The JSON path of a decoding failure, e.g. {@code grants[0].app}, or null. */
    private static String fieldOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JacksonException.Reference reference : jackson.getPath()) {
                    if (reference.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
                    } else if (reference.getIndex() >= 0) {
                        path.append('[').append(reference.getIndex()).append(']');
                    }
                }
                return path.isEmpty() ? null : path.toString();
            }
        }
        return null;
    }
}
