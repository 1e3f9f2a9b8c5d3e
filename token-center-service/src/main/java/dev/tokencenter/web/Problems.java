package dev.tokencenter.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;

/**
 * RFC 9457 problem details with stable type URIs: {@code https://token-center.dev/problems/<slug>}.
 * Details are written for humans and never carry a secret, a token or a stack trace.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://token-center.dev/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return problem;
    }
}
