package dev.tokencenter.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Writes a {@link Problem} straight onto an exchange, for code that runs where no handler answers: security entry
 * points and access-denied handlers, web filters and the exception handler of last resort. It encodes with the
 * server's own codecs, so these answers are byte for byte what a controller or routed handler would send.
 */
@Component
public class ProblemWriter {

    private final ServerResponse.Context context;

    public ProblemWriter(ServerCodecConfigurer codecs) {
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return codecs.getWriters();
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        return write(exchange, problem.toResponse(exchange.getRequest().getPath().value()));
    }

    /** A plain JSON answer from the same place (the login answer of the admin chain). */
    public Mono<Void> writeJson(ServerWebExchange exchange, HttpStatus status, Object body) {
        return write(exchange, ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body));
    }

    private Mono<Void> write(ServerWebExchange exchange, Mono<ServerResponse> response) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.empty();
        }
        return response.flatMap(built -> built.writeTo(exchange, context));
    }
}
