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
        Instant cacheableUntil = token.usableUntil().isBefore(token.expiresAt()) ? token.usableUntil() : token.expiresAt();
        long maxAge = Math.min(maxCacheAgeSeconds, TokenJson.secondsUntil(cacheableUntil, now));
        return new TokenReply("private, max-age=" + maxAge,
                TokenJson.token(token, TokenJson.secondsUntil(token.expiresAt(), now), verdict == null ? null : verdict.label()));
    }
}
