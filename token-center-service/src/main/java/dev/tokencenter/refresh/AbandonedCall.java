package dev.tokencenter.refresh;

/**
 * This instance is shutting down in the middle of an upstream call. The call may still be answered, so the attempt
 * keeps the lock until its lease ends: no other instance fetches (and, in classic mode, gets superseded) before that
 * answer could land.
 */
final class AbandonedCall extends RuntimeException {

    AbandonedCall() {
        super(null, null, false, false);
    }
}
