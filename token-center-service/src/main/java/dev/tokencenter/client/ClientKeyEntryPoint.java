package dev.tokencenter.client;

import dev.tokencenter.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Answers requests without a valid client key: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and an RFC 9457
 * body; 503 with {@code Retry-After} when the key could not be checked because the client store is unreachable or
 * lookups of unknown client ids are over their limit.
 */
@Component
public class ClientKeyEntryPoint implements ServerAuthenticationEntryPoint {

    static final String REALM = "Bearer realm=\"token-center\"";
    private static final int STORE_RETRY_AFTER_SECONDS = 5;

    private final ServerResponse.Context context;

    ClientKeyEntryPoint(ServerCodecConfigurer codecs) {
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

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        ServerResponse.BodyBuilder response;
        Object problem;
        if (failure instanceof ClientLookupThrottledException throttled) {
            response = ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
            problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "client-lookup-throttled", "Client key not checked",
                    "Too many requests with keys of clients this instance does not know; the key was not checked."
                            + " Try again after the Retry-After delay.");
        } else if (failure instanceof ClientDirectoryUnavailableException) {
            response = ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(STORE_RETRY_AFTER_SECONDS));
            problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "client-store-unavailable", "Client keys cannot be checked",
                    "The client key could not be checked right now; try again shortly.");
        } else if (failure instanceof InvalidClientKeyException) {
            response = ServerResponse.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
            problem = Problems.of(HttpStatus.UNAUTHORIZED, "invalid-client-key", "Invalid client key",
                    "The client key is malformed, unknown, revoked or wrong.");
        } else {
            response = ServerResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, REALM);
            problem = Problems.of(HttpStatus.UNAUTHORIZED, "missing-client-key", "Client key required",
                    "Send the client key as 'Authorization: Bearer <key>'.");
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem)
                .flatMap(built -> built.writeTo(exchange, context));
    }
}
