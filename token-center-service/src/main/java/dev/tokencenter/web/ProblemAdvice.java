package dev.tokencenter.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one advice of every annotated controller (the admin API, the refresh engine's operator endpoints under
 * {@code /admin/api}): whatever a controller fails with becomes a problem from the catalogue. It is written
 * directly, as {@code application/problem+json} whatever the request's {@code Accept} header says (an error is
 * answered even to a client that asked for something else or sent a header that cannot be read).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
class ProblemAdvice {

    private final ProblemWriter writer;

    ProblemAdvice(ProblemWriter writer) {
        this.writer = writer;
    }

    @ExceptionHandler(Throwable.class)
    Mono<Void> problem(Throwable failure, ServerWebExchange exchange) {
        return writer.write(exchange, Failures.problemFor(failure));
    }
}
