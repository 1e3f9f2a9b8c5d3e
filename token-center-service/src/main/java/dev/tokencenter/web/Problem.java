package dev.tokencenter.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One problem answer: a type from the catalogue, a detail written by the service (never copied from a parser or
 * database message, which could quote a submitted secret), optionally the fields at fault and headers such as
 * {@code Retry-After}. The only way the service builds problem responses: as a controller's {@link ResponseEntity},
 * a routed handler's {@link ServerResponse}, or written straight onto an exchange by {@link ProblemWriter}.
 */
public record Problem(ProblemType type, String detail, List<FieldViolation> errors, Map<String, String> headers,
                      Map<String, Object> properties) {

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public Problem(ProblemType type, String detail, List<FieldViolation> errors, Map<String, String> headers) {
        this(type, detail, errors, headers, Map.of());
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, List.of(), Map.of());
    }

    /** Adds {@code errors: [{field, message}]}, the fields at fault. */
    public Problem errors(List<FieldViolation> violations) {
        return new Problem(type, detail, violations, headers, properties);
    }

    /** Adds a member of the problem object beside the standard ones (e.g. WeChat's {@code errcode}). */
    public Problem property(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new Problem(type, detail, errors, headers, more);
    }

    /** Adds {@code Retry-After}: whole seconds, rounded up, at least 1 (a Retry-After of 0 invites a busy loop). */
    public Problem retryAfter(Duration wait) {
        return header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(wait)));
    }

    public Problem header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, detail, errors, more, properties);
    }

    /** The RFC 9457 body; {@code instance} is the request path. */
    public ProblemDetail body(String path) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(type.status(), detail);
        body.setType(type.type());
        body.setTitle(type.title());
        if (path != null) {
            body.setInstance(instancePath(path));
        }
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        properties.forEach(body::setProperty);
        return body;
    }

    /** For annotated controllers and their advice. */
    public ResponseEntity<ProblemDetail> toEntity(String path) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.forEach(builder::header);
        return builder.body(body(path));
    }

    /** For routed (functional) handlers. */
    public Mono<ServerResponse> toResponse(String path) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.forEach(builder::header);
        return builder.bodyValue(body(path));
    }

    static long retryAfterSeconds(Duration wait) {
        if (wait.isNegative() || wait.isZero()) {
            return 1;
        }
        return Math.max(1, wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0));
    }

    /** The path as a relative URI reference; characters a URI may not hold (it came from the client) are quoted. */
    private static URI instancePath(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            try {
                return new URI(null, null, path, null);
            } catch (URISyntaxException unquotable) {
                return null;
            }
        }
    }
}
