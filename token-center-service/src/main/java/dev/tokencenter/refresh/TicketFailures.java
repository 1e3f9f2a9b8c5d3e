package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamHttpException;
import dev.tokencenter.wechat.WechatErrorException;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * What a failed ticket call leads to, as pure code. Token errors (40001, 40014, 42001) mean the token is bad: the
 * caller refreshes it once, like a confirmed report. 45009 (WeChat's daily quota, WeCom's hourly "api freq out of
 * limit") holds the kind until the limit resets. -1, 45011, timeouts, transport errors and HTTP 5xx/408/429 are
 * retried with backoff; anything else is recorded and not retried for {@code retry-max-backoff}. None of it touches
 * the token's state.
 */
final class TicketFailures {

    static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 40014, 42001);

    /** The error to record, and whether the token itself was rejected. */
    record Classified(TicketError error, boolean tokenRejected) {
    }

    private TicketFailures() {
    }

    static Classified classify(UpstreamCallException failure, TicketEndpoint kind, TicketError previous, Instant now,
                               Instant nextQuotaDay, RefreshProperties properties) {
        int failures = previous == null ? 1 : previous.failures() + 1;
        String message = UpstreamFailure.clip(failure instanceof WechatErrorException error ? error.errmsg() : failure.getMessage());
        if (failure instanceof WechatErrorException error) {
            int errcode = error.errcode();
            if (TOKEN_ERRORS.contains(errcode)) {
                return new Classified(new TicketError(errcode, message, now, now, false, failures), true);
            }
            if (errcode == UpstreamFailure.DAILY_QUOTA) {
                return new Classified(limited(errcode, message, kind, now, nextQuotaDay, failures), false);
            }
            boolean retryable = errcode == UpstreamFailure.SYSTEM_BUSY || errcode == UpstreamFailure.MINUTE_QUOTA;
            Instant notBefore = retryable ? now.plus(backoff(failures, properties)) : now.plus(properties.retryMaxBackoff());
            return new Classified(new TicketError(errcode, message, now, notBefore, false, failures), false);
        }
        boolean retryable = !(failure instanceof UpstreamHttpException http)
                || http.status() >= 500 || http.status() == 408 || http.status() == 429;
        Instant notBefore = now.plus(retryable ? backoff(failures, properties) : properties.retryMaxBackoff());
        return new Classified(new TicketError(null, message, now, notBefore, false, failures), false);
    }

    /** A limit was reached (WeChat's answer or the service's own hourly guard): no call before it resets. */
    static TicketError limited(Integer errcode, String message, TicketEndpoint kind, Instant now, Instant nextQuotaDay,
                               int failures) {
        return new TicketError(errcode, message, now, kind.wecom() ? nextClockHour(now) : nextQuotaDay, true, failures);
    }

    static Instant nextClockHour(Instant now) {
        return Instant.ofEpochSecond((now.getEpochSecond() / 3600 + 1) * 3600);
    }

    /** {@code retry-initial-backoff} doubled per consecutive failure, at most {@code retry-max-backoff}. */
    static Duration backoff(int failures, RefreshProperties properties) {
        Duration delay = properties.retryInitialBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(properties.retryMaxBackoff()) > 0 ? properties.retryMaxBackoff() : delay;
    }
}
