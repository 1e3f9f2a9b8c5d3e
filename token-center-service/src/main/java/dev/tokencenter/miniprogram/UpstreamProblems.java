package dev.tokencenter.miniprogram;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.wechat.MiniProgramCallException;
import dev.tokencenter.wechat.MiniProgramEndpoint;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * What a failed mini program call tells the client. WeChat's answers about the user's input (a bad, used or foreign
 * code, a blocked user, WeChat's per-minute limit) are 4xx problems carrying the {@code errcode}; everything that is
 * WeChat's or the center's fault (busy, wrong AppSecret or AppID, timeouts, HTTP errors, malformed answers) is 502 or
 * 503, never a 500. The detail is written here: never a code, a key or WeChat's errmsg.
 */
final class UpstreamProblems {

    private static final Logger log = LoggerFactory.getLogger(UpstreamProblems.class);
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);
    static final Duration UNREACHABLE_RETRY_AFTER = Duration.ofSeconds(5);

    private UpstreamProblems() {
    }

    static Problem of(MiniProgramCallException failure, CredentialKey credential, Instant now) {
        Problem problem = switch (failure.failure()) {
            case ERRCODE -> errcode(failure, now);
            case TIMEOUT, TRANSPORT, HTTP_STATUS -> Problem.of(ProblemType.WECHAT_UNAVAILABLE,
                    "WeChat did not answer " + what(failure.endpoint()) + " in time or could not be reached; try again"
                            + " shortly.").retryAfter(UNREACHABLE_RETRY_AFTER);
            case MALFORMED -> Problem.of(ProblemType.WECHAT_ERROR,
                    "WeChat's answer to " + what(failure.endpoint()) + " is not what WeChat documents.");
        };
        if (problem.type() == ProblemType.WECHAT_ERROR || problem.type() == ProblemType.WECHAT_UNAVAILABLE) {
            log.warn("{}: {}", credential, failure.getMessage());
        }
        if (failure.failure() == MiniProgramCallException.Failure.ERRCODE) {
            problem = problem.property("errcode", failure.errcode());
            if (!failure.rid().isEmpty()) {
                problem = problem.property("rid", failure.rid());
            }
        }
        return problem;
    }

    private static Problem errcode(MiniProgramCallException failure, Instant now) {
        MiniProgramEndpoint endpoint = failure.endpoint();
        int errcode = failure.errcode();
        if (errcode == -1) {
            return Problem.of(ProblemType.WECHAT_UNAVAILABLE, "WeChat is busy (errcode -1); try again shortly.")
                    .retryAfter(BUSY_RETRY_AFTER);
        }
        if (errcode == 45011) {
            return Problem.of(ProblemType.WECHAT_RATE_LIMITED, "WeChat refused " + what(endpoint)
                    + ": too many calls this minute (errcode 45011); try again in the next minute.")
                    .retryAfter(untilNextMinute(now));
        }
        if (failure.tokenRejected()) {
            return Problem.of(ProblemType.WECHAT_UNAVAILABLE, "WeChat refused the access token even after the center"
                    + " refreshed it; try again shortly.").retryAfter(BUSY_RETRY_AFTER);
        }
        return switch (endpoint) {
            case JSCODE2SESSION -> switch (errcode) {
                case 40029 -> Problem.of(ProblemType.INVALID_LOGIN_CODE, "WeChat does not know this login code, or it"
                        + " expired (a wx.login() code is valid 5 minutes): call wx.login() again.");
                case 40163 -> Problem.of(ProblemType.LOGIN_CODE_USED, "This login code was used already (a code is"
                        + " good for one login): call wx.login() again.");
                case 40226 -> Problem.of(ProblemType.USER_BLOCKED, "WeChat's risk control blocks this user's login"
                        + " (errcode 40226).");
                default -> configuration(errcode, endpoint);
            };
            case PHONE_NUMBER -> switch (errcode) {
                case 40029 -> Problem.of(ProblemType.INVALID_PHONE_CODE, "WeChat does not know this phone code, it was"
                        + " used or it expired (5 minutes). A wx.login() code is not a phone code.");
                case 40013 -> Problem.of(ProblemType.PHONE_CODE_OF_ANOTHER_APP, "This phone code was issued to another"
                        + " mini program than this environment's AppID.");
                default -> configuration(errcode, endpoint);
            };
            case CHECK_SESSION -> configuration(errcode, endpoint);
        };
    }

    private static Problem configuration(int errcode, MiniProgramEndpoint endpoint) {
        String why = switch (errcode) {
            case 40125 -> ": the environment's AppSecret is wrong";
            case 40013 -> ": WeChat does not know the environment's AppID";
            default -> "";
        };
        return Problem.of(ProblemType.WECHAT_ERROR, "WeChat refused " + what(endpoint) + " with errcode " + errcode
                + why + ".");
    }

    private static String what(MiniProgramEndpoint endpoint) {
        return switch (endpoint) {
            case JSCODE2SESSION -> "the login (jscode2session)";
            case CHECK_SESSION -> "the session check (checksession)";
            case PHONE_NUMBER -> "the phone number call (getuserphonenumber)";
        };
    }

    /** Seconds until WeChat's next clock minute starts, at least 1. */
    static Duration untilNextMinute(Instant now) {
        long intoMinute = Math.floorMod(now.getEpochSecond(), 60L);
        return Duration.ofSeconds(Math.max(1, 60 - intoMinute));
    }
}
