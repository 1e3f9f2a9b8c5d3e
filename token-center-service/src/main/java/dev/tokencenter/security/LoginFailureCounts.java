package dev.tokencenter.security;

/**
 * Failures counted for one login attempt's username and address, and how long (ms) each count has left in its window.
 */
record LoginFailureCounts(long usernameFailures, long usernameRemainingMillis, long addressFailures,
                          long addressRemainingMillis) {

    static final LoginFailureCounts NONE = new LoginFailureCounts(0, 0, 0, 0);
}
