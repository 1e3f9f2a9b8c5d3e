package dev.tokencenter.refresh;

import dev.tokencenter.wechat.UpstreamCallException;
import dev.tokencenter.wechat.UpstreamHttpException;
import dev.tokencenter.wechat.WechatErrorException;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed token call, classified by the errcode policy.
 *
 * @param policy       what to do next
 * @param errcode      WeChat's errcode, or null for timeouts, HTTP and transport failures
 * @param message      WeChat's errmsg or a description (never a secret or a token), at most 500 characters
 * @param ip           for 40164/61004: the caller IP WeChat saw, when the message names it
 * @param nextMinute   45011: wait at least until the next clock minute
 */
record UpstreamFailure(ErrcodePolicy policy, Integer errcode, String message, String ip, boolean nextMinute) {

    static final int SYSTEM_BUSY = -1;
    static final int DAILY_QUOTA = 45009;
    static final int MINUTE_QUOTA = 45011;

    private static final Set<Integer> IP_CODES = Set.of(40164, 61004);
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d.])");
    private static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*[0-9A-Fa-f])");

    static UpstreamFailure classify(UpstreamCallException failure) {
        if (failure instanceof WechatErrorException error) {
            return classifyErrcode(error.errcode(), error.errmsg());
        }
        if (failure instanceof UpstreamHttpException http) {
            boolean retryable = http.status() >= 500 || http.status() == 429 || http.status() == 408;
            return new UpstreamFailure(retryable ? ErrcodePolicy.RETRY : ErrcodePolicy.STOP, null, clip(http.getMessage()), null, false);
        }
        // timeouts and transport failures (UpstreamTimeoutException, UpstreamTransportException)
        return new UpstreamFailure(ErrcodePolicy.RETRY, null, clip(failure.getMessage()), null, false);
    }

    static UpstreamFailure classifyErrcode(int errcode, String errmsg) {
        String message = clip(errmsg);
        if (errcode == SYSTEM_BUSY) {
            return new UpstreamFailure(ErrcodePolicy.RETRY, errcode, message, null, false);
        }
        if (errcode == MINUTE_QUOTA) {
            return new UpstreamFailure(ErrcodePolicy.RETRY, errcode, message, null, true);
        }
        if (errcode == DAILY_QUOTA) {
            return new UpstreamFailure(ErrcodePolicy.PAUSE, errcode, message, null, false);
        }
        String ip = IP_CODES.contains(errcode) ? ipIn(errmsg) : null;
        // 40001 on the token call itself means a wrong secret (not a stale token); 40125, 40243, 40013, 40164, 61004,
        // 89503, 50001, 50002, 40002 need an admin. Unknown codes stop too: never burn quota in a loop on an answer
        // nobody has classified.
        return new UpstreamFailure(ErrcodePolicy.STOP, errcode, message, ip, false);
    }

    static String ipIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher v4 = IPV4.matcher(message);
        if (v4.find()) {
            return v4.group(1);
        }
        Matcher v6 = IPV6.matcher(message);
        return v6.find() ? v6.group(1) : null;
    }

    static String clip(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= 500 ? message : message.substring(0, 500);
    }
}
