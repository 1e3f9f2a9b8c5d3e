package dev.tokencenter.client;

import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import dev.tokencenter.web.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Answers requests without a valid client key: 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and an RFC 9457
 * body; 503 with {@code Retry-After} when the key could not be checked because the client store is unreachable or
 * lookups of unknown client ids are over their limit.
 */
@Component
public class ClientKeyEntryPoint implements ServerAuthenticationEntryPoint {

    static final String REALM = "Bearer realm=\"token-center\"";
    private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(5);

    private final ProblemWriter problems;

    ClientKeyEntryPoint(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        Problem problem;
        if (failure instanceof ClientLookupThrottledException throttled) {
            problem = Problem.of(ProblemType.CLIENT_LOOKUP_THROTTLED,
                    "Too many requests with keys of clients this instance does not know; the key was not checked."
                            + " Try again after the Retry-After delay.")
                    .retryAfter(Duration.ofSeconds(throttled.retryAfterSeconds()));
        } else if (failure instanceof ClientDirectoryUnavailableException) {
            problem = Problem.of(ProblemType.CLIENT_STORE_UNAVAILABLE,
                    "The client key could not be checked right now; try again shortly.").retryAfter(STORE_RETRY_AFTER);
        } else if (failure instanceof InvalidClientKeyException) {
            problem = Problem.of(ProblemType.INVALID_CLIENT_KEY, "The client key is malformed, unknown, revoked or wrong.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\"");
        } else {
            problem = Problem.of(ProblemType.MISSING_CLIENT_KEY, "Send the client key as 'Authorization: Bearer <key>'.")
                    .header(HttpHeaders.WWW_AUTHENTICATE, REALM);
        }
        return problems.write(exchange, problem);
    }
}
