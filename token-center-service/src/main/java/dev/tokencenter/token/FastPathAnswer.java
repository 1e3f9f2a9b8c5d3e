package dev.tokencenter.token;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes a 200 JSON answer straight to the response, ahead of the Spring Security chain and WebFlux dispatch, with the
 * headers the full chain would give it (Spring Security's default header writers included): for the web filters that
 * answer warm token reads on the event loop ({@link TokenReadFastPath} and the compatible endpoints' one).
 */
public final class FastPathAnswer {

    private FastPathAnswer() {
    }

    public static Mono<Void> write(ServerHttpResponse response, String cacheControl, byte[] body) {
        response.setStatusCode(HttpStatus.OK);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        headers.set(HttpHeaders.CACHE_CONTROL, cacheControl);
        SecurityHeaders.addTo(headers);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
