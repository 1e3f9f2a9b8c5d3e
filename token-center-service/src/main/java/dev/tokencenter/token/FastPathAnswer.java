package dev.tokencenter.token;

/**
 * A 200 JSON answer to a warm read, made from memory on the event loop: its {@code Cache-Control} value and body. The
 * route that writes it ahead of WebFlux adds the headers the full chain would give it.
 */
public record FastPathAnswer(String cacheControl, byte[] body) {
}
