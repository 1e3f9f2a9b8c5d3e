package dev.tokencenter.token;

import java.time.Instant;

/**
 * The body and caching header of a successful token read: {@code max-age} never exceeds the time until the token must
 * no longer be used, nor the configured cap.
 */
record TokenReply(String cacheControl, byte[] body) {

    static TokenReply of(IssuedToken token, Instant now, long maxCacheAgeSeconds) {
        return of(token, now, maxCacheAgeSeconds, null);
    }

    /** With {@code verdict}: the answer to a report, which says whether the token replaces the reported one. */
    static TokenReply of(IssuedToken token, Instant now, long maxCacheAgeSeconds, ReportAnswer.Verdict verdict) {
        return new TokenReply("private, max-age=" + maxAge(token, now, maxCacheAgeSeconds),
                TokenJson.token(token, TokenJson.secondsUntil(token.expiresAt(), now), verdict == null ? null : verdict.label()));
    }

    /** The {@code max-age} of a read of {@code token} at {@code now}. */
    static long maxAge(IssuedToken token, Instant now, long maxCacheAgeSeconds) {
        Instant cacheableUntil = token.usableUntil().isBefore(token.expiresAt()) ? token.usableUntil() : token.expiresAt();
        return Math.min(maxCacheAgeSeconds, TokenJson.secondsUntil(cacheableUntil, now));
    }
}
