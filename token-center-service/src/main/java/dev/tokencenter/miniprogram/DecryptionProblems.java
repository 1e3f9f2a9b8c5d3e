package dev.tokencenter.miniprogram;

import dev.tokencenter.web.FieldViolation;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;

import java.util.List;

/** Each reason encryptedData could not be opened is its own problem type; the detail never quotes the data. */
final class DecryptionProblems {

    private DecryptionProblems() {
    }

    static Problem of(DecryptionFailure failure) {
        ProblemType type = switch (failure.reason()) {
            case NOT_BASE64 -> ProblemType.ENCRYPTED_DATA_NOT_BASE64;
            case WRONG_SIZE -> ProblemType.ENCRYPTED_DATA_WRONG_SIZE;
            case BAD_PADDING -> ProblemType.STALE_SESSION_KEY;
            case NOT_JSON -> ProblemType.DECRYPTED_DATA_NOT_JSON;
            case FOREIGN_WATERMARK -> ProblemType.FOREIGN_WATERMARK;
            case WATERMARK_TOO_OLD -> ProblemType.WATERMARK_TOO_OLD;
        };
        Problem problem = Problem.of(type, capitalised(failure.getMessage()) + ".");
        return failure.field() == null ? problem
                : problem.errors(List.of(new FieldViolation(failure.field(), failure.getMessage()
                        .substring(failure.field().length()).strip())));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
