package dev.tokencenter.web;

import java.util.List;

/** Bad input (400). Messages name the fields and never echo a submitted secret or password. */
public class InvalidInputException extends RuntimeException {

    private final List<FieldViolation> violations;

    public InvalidInputException(List<FieldViolation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static String describe(List<FieldViolation> violations) {
        StringBuilder text = new StringBuilder("invalid input: ");
        for (int i = 0; i < violations.size(); i++) {
            FieldViolation violation = violations.get(i);
            text.append(i == 0 ? "" : "; ").append(violation.field()).append(' ').append(violation.message());
        }
        return text.toString();
    }
}
