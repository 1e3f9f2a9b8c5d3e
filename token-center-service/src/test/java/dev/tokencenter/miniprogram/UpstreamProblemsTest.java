package dev.tokencenter.miniprogram;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.wechat.MiniProgramCallException;
import dev.tokencenter.wechat.MiniProgramEndpoint;
import dev.tokencenter.web.Problem;
import dev.tokencenter.web.ProblemType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What each way a mini program call can fail tells the client: 4xx for the user's input, 502/503 otherwise. */
class UpstreamProblemsTest {

    private static final CredentialKey KEY = new CredentialKey("shop", "mini", "prod");
    private static final Instant NOW = Instant.parse("2026-11-30T10:15:42Z");

    @Test
    void wechatsAnswersAboutTheUsersInputAre4xxWithTheirErrcode() {
        assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 40029, ProblemType.INVALID_LOGIN_CODE);
        assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 40163, ProblemType.LOGIN_CODE_USED);
        assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 40226, ProblemType.USER_BLOCKED);
        assertProblem(MiniProgramEndpoint.PHONE_NUMBER, 40029, ProblemType.INVALID_PHONE_CODE);
        assertProblem(MiniProgramEndpoint.PHONE_NUMBER, 40013, ProblemType.PHONE_CODE_OF_ANOTHER_APP);
        Problem limited = assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 45011, ProblemType.WECHAT_RATE_LIMITED);
        assertThat(limited.headers()).containsEntry("Retry-After", "18");
    }

    @Test
    void theCentersOwnFailuresAreNever4xxNor500() {
        assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 40125, ProblemType.WECHAT_ERROR);
        assertProblem(MiniProgramEndpoint.JSCODE2SESSION, 40013, ProblemType.WECHAT_ERROR);
        assertProblem(MiniProgramEndpoint.CHECK_SESSION, 40097, ProblemType.WECHAT_ERROR);
        assertThat(assertProblem(MiniProgramEndpoint.JSCODE2SESSION, -1, ProblemType.WECHAT_UNAVAILABLE).headers())
                .containsEntry("Retry-After", "1");
        assertProblem(MiniProgramEndpoint.PHONE_NUMBER, 40001, ProblemType.WECHAT_UNAVAILABLE);
        assertProblem(MiniProgramEndpoint.PHONE_NUMBER, 42001, ProblemType.WECHAT_UNAVAILABLE);

        Problem malformed = UpstreamProblems.of(MiniProgramCallException.malformed(MiniProgramEndpoint.JSCODE2SESSION,
                "no openid"), KEY, NOW);
        assertThat(malformed.type()).isEqualTo(ProblemType.WECHAT_ERROR);
        assertThat(malformed.properties()).doesNotContainKey("errcode");
        for (MiniProgramCallException failure : new MiniProgramCallException[] {
                MiniProgramCallException.timeout(MiniProgramEndpoint.CHECK_SESSION, "no answer in time"),
                MiniProgramCallException.transport(MiniProgramEndpoint.CHECK_SESSION, "ConnectException"),
                MiniProgramCallException.httpStatus(MiniProgramEndpoint.CHECK_SESSION, 502)}) {
            Problem problem = UpstreamProblems.of(failure, KEY, NOW);
            assertThat(problem.type()).isEqualTo(ProblemType.WECHAT_UNAVAILABLE);
            assertThat(problem.headers()).containsKey("Retry-After");
        }
    }

    @Test
    void retryAfterAWechatMinuteLimitRunsToTheNextMinute() {
        assertThat(UpstreamProblems.untilNextMinute(Instant.parse("2026-11-30T10:15:00Z"))).isEqualTo(Duration.ofSeconds(60));
        assertThat(UpstreamProblems.untilNextMinute(Instant.parse("2026-11-30T10:15:59.900Z"))).isEqualTo(Duration.ofSeconds(1));
    }

    private static Problem assertProblem(MiniProgramEndpoint endpoint, int errcode, ProblemType expected) {
        Problem problem = UpstreamProblems.of(MiniProgramCallException.errcode(endpoint, errcode, ""), KEY, NOW);
        assertThat(problem.type()).as(endpoint + " " + errcode).isEqualTo(expected);
        assertThat(problem.properties()).containsEntry("errcode", errcode);
        assertThat(problem.type().status().value()).isNotEqualTo(500);
        return problem;
    }
}
