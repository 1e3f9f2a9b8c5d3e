package dev.tokencenter.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one advice of every annotated controller (the admin API, the refresh engine's operator endpoints under
 * {@code /admin/api}): whatever a controller fails with becomes a problem from the catalogue.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
class ProblemAdvice {

    @ExceptionHandler(Throwable.class)
    ResponseEntity<ProblemDetail> problem(Throwable failure, ServerWebExchange exchange) {
        return Failures.problemFor(failure).toEntity(exchange.getRequest().getPath().value());
    }
}
