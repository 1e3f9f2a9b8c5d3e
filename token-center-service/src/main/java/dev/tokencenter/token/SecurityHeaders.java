package dev.tokencenter.token;

import org.springframework.http.HttpHeaders;

/** The response headers Spring Security's default header writers add, for responses written outside its chain. */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static void addTo(HttpHeaders headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-XSS-Protection", "0");
        headers.set("Referrer-Policy", "no-referrer");
    }
}
