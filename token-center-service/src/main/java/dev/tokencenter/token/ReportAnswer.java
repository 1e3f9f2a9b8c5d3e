package dev.tokencenter.token;

/**
 * The answer to a client's report that WeChat rejected a token.
 *
 * @param token   the token to use from now on
 * @param verdict whether it replaces the reported one, or is the reported one because WeChat still accepts it
 */
public record ReportAnswer(IssuedToken token, Verdict verdict) {

    public enum Verdict {
        /** The answer is another, newer token than the one reported. */
        REPLACED("replaced"),
        /** WeChat still accepts the reported token: it is the answer, and nothing was refreshed. */
        CONFIRMED_VALID("confirmed_valid");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
