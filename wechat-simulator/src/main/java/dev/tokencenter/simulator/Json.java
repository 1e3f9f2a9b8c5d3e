package dev.tokencenter.simulator;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper, and lenient readers for loosely typed request bodies. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Thrown when a request body is not a JSON object. */
    static final class BadJson extends RuntimeException {
        BadJson(String message) {
            super(message);
        }
    }

    private Json() {
    }

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        try {
            Object parsed = MAPPER.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new BadJson("the body must be a JSON object");
        } catch (JacksonException e) {
            throw new BadJson("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A string field; numbers and booleans are accepted in their text form. Blank counts as missing. */
    static String text(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value == null || value instanceof Map || value instanceof java.util.List) {
            return null;
        }
        String text = value.toString();
        return text.isEmpty() ? null : text;
    }

    static boolean flag(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value instanceof Boolean bool) {
            return bool;
        }
        return value != null && ("true".equalsIgnoreCase(value.toString()) || "1".equals(value.toString()));
    }
}
