package dev.tokencenter.token;

import dev.tokencenter.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;

/** RFC 9457 responses of the token API's handlers. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static Mono<ServerResponse> problem(HttpStatus status, String slug, String title, String detail) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(Problems.of(status, slug, title, detail));
    }

    static Mono<ServerResponse> retryLater(HttpStatus status, Duration retryAfter, String slug, String title, String detail) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
                .bodyValue(Problems.of(status, slug, title, detail));
    }

    /** When no time is known (a stopped credential waits for an admin), clients are asked to come back in a minute. */
    static final long UNKNOWN_RETRY_AFTER_SECONDS = 60;

    /** Whole seconds, rounded up, at least 1 (a Retry-After of 0 invites a busy loop). */
    static long retryAfterSeconds(Duration retryAfter) {
        if (retryAfter == null) {
            return UNKNOWN_RETRY_AFTER_SECONDS;
        }
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            return 1;
        }
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
