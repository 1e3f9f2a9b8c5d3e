package dev.tokencenter.web;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Says why a JSON request body could not be read, naming the field (as {@code grants[0].app}) but never quoting
 * what was sent: parser messages are not passed on, since they can contain submitted values. A property name is
 * named only if it is short and plain (an unknown name is itself something the client sent).
 */
public final class JsonBodyProblems {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String UNUSUAL_NAME = "(unnamed)";

    private JsonBodyProblems() {
    }

    /** The body could not be read as what the handler expects: not JSON, not of the expected shape, not JSON at all. */
    public static boolean isUnreadableBody(Throwable failure) {
        return failure instanceof ServerWebInputException || failure instanceof DecodingException
                || failure instanceof UnsupportedMediaTypeStatusException || failure instanceof InvalidMediaTypeException;
    }

    /** The body was bigger than the service reads. */
    public static boolean tooLarge(Throwable failure) {
        return cause(failure, DataBufferLimitException.class) != null;
    }

    /** A problem of {@code type} naming the field at fault, or null when the failure is not a JSON reading error. */
    public static Problem describe(Throwable failure, ProblemType type) {
        JacksonException json = cause(failure, JacksonException.class);
        if (json == null) {
            return null;
        }
        String field = field(json);
        String message = message(json);
        if (field == null || field.isEmpty()) {
            return Problem.of(type, "The request body " + message + ".");
        }
        return Problem.of(type, "invalid input: " + field + " " + message)
                .errors(List.of(new FieldViolation(field, message)));
    }

    private static String message(JacksonException json) {
        if (json instanceof UnrecognizedPropertyException) {
            return "is not a known field";
        }
        if (json instanceof InputCoercionException) {
            return "is out of range";
        }
        if (json instanceof MismatchedInputException mismatch) {
            String original = String.valueOf(mismatch.getOriginalMessage());
            if (original.startsWith("Trailing token")) {
                return "has more after the JSON value";
            }
            if (original.startsWith("Cannot map `null`")) {
                return "must not be null";
            }
            if (original.startsWith(StrictJsonRequests.WellFormedStrings.NOT_UNICODE)) {
                return "must be valid Unicode text";
            }
            return mismatch.getTargetType() == null ? "has the wrong type" : "must be " + expected(mismatch.getTargetType());
        }
        if (json instanceof UnexpectedEndOfInputException) {
            return "ends before the JSON value is complete";
        }
        if (json instanceof StreamReadException && String.valueOf(json.getOriginalMessage()).startsWith("Duplicate")) {
            return "appears more than once";
        }
        return "is not valid JSON";
    }

    private static String expected(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "of another type";
    }

    /** The path databind recorded, else where the parser stopped (duplicates, syntax errors). */
    private static String field(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                String name = reference.getPropertyName();
                path.append(path.isEmpty() ? "" : ".").append(PLAIN_NAME.matcher(name).matches() ? name : UNUSUAL_NAME);
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (!path.isEmpty() && !(json instanceof StreamReadException)) {
            return path.toString();
        }
        if (json.processor() instanceof JsonParser parser && parser.streamReadContext() != null) {
            return dotted(parser.streamReadContext().pathAsPointer().toString());
        }
        return path.toString();
    }

    /** {@code /grants/0/app} as {@code grants[0].app}. */
    private static String dotted(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit) && name.length() < 10) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(PLAIN_NAME.matcher(name).matches() ? name : UNUSUAL_NAME);
            }
        }
        return path.toString();
    }

    static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
