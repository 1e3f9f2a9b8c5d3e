package dev.tokencenter.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects every violation of one request, then throws them together so the caller can fix all at once. */
public final class Validator {

    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final List<FieldViolation> violations = new ArrayList<>();

    public Validator reject(String field, String message) {
        violations.add(new FieldViolation(field, message));
        return this;
    }

    public Validator slug(String field, String value) {
        if (value == null || value.isEmpty()) {
            return reject(field, "is required");
        }
        if (!SLUG.matcher(value).matches()) {
            reject(field, "must match [a-z0-9][a-z0-9-]{0,62} (lower-case letters, digits and '-', at most 63)");
        }
        return this;
    }

    public Validator name(String field, String value) {
        if (value == null || value.isBlank()) {
            return reject(field, "is required");
        }
        if (value.length() > 200) {
            reject(field, "must be at most 200 characters");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            reject(field, "must not contain control characters");
        }
        return this;
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }
}
