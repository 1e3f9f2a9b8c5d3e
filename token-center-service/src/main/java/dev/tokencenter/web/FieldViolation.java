package dev.tokencenter.web;

/** One rejected input field: {@code field} is the JSON name (snake_case) or path variable, {@code message} says why. */
public record FieldViolation(String field, String message) {
}
