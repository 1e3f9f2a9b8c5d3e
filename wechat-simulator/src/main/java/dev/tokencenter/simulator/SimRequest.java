package dev.tokencenter.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP request, fully read: method, path, decoded query (first value wins) and body. */
final class SimRequest {

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;
    private Map<String, Object> json;

    SimRequest(String method, String path, Map<String, String> query, byte[] body) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
    }

    static SimRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        return new SimRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT),
                exchange.getRequestURI().getPath(), parseQuery(exchange.getRequestURI().getRawQuery()), body);
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    boolean isPost() {
        return "POST".equals(method);
    }

    /** A query parameter, {@code null} when absent or empty. */
    String param(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    byte[] body() {
        return body;
    }

    /** The body as a JSON object (empty map for an empty body). */
    synchronized Map<String, Object> json() {
        if (json == null) {
            json = Json.readObject(body);
        }
        return json;
    }

    /** The body's JSON object, or an empty map if it is not one (for best-effort lookups). */
    Map<String, Object> jsonOrEmpty() {
        try {
            return json();
        } catch (Json.BadJson e) {
            return Map.of();
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
