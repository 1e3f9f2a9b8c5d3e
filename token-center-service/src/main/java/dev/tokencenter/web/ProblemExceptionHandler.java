package dev.tokencenter.web;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * The handler of last resort for failures no controller advice sees: routed handlers, web filters, requests no
 * handler matched. Ahead of Spring Boot's error handler (order -1), so no answer ever carries Boot's error
 * attributes, a stack trace or an exception class name.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

    private final ProblemWriter writer;

    ProblemExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        if (failure instanceof AbortedException || AbortedException.isConnectionReset(failure)) {
            return Mono.empty(); // the client has gone: there is no one to answer and nothing went wrong here
        }
        return writer.write(exchange, Failures.problemFor(failure));
    }
}
