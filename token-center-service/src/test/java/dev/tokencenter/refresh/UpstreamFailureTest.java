package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TokenEndpoint;
import dev.tokencenter.wechat.UpstreamHttpException;
import dev.tokencenter.wechat.UpstreamTimeoutException;
import dev.tokencenter.wechat.UpstreamTransportException;
import dev.tokencenter.wechat.WechatErrorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The errcode policy (docs/refresh-engine.md, "Errcode policy"): what a failed token call leads to. */
class UpstreamFailureTest {

    @Test
    void transientFailuresAreRetried() {
        assertThat(UpstreamFailure.classifyErrcode(-1, "system error").policy()).isEqualTo(ErrcodePolicy.RETRY);
        UpstreamFailure minute = UpstreamFailure.classifyErrcode(45011, "api minute-quota reach limit");
        assertThat(minute.policy()).isEqualTo(ErrcodePolicy.RETRY);
        assertThat(minute.nextMinute()).isTrue();
        assertThat(UpstreamFailure.classifyErrcode(-1, "system error").nextMinute()).isFalse();
    }

    @Test
    void theDailyQuotaPauses() {
        UpstreamFailure quota = UpstreamFailure.classifyErrcode(45009, "reach max api daily quota limit");

        assertThat(quota.policy()).isEqualTo(ErrcodePolicy.PAUSE);
        assertThat(quota.errcode()).isEqualTo(45009);
        assertThat(quota.message()).isEqualTo("reach max api daily quota limit");
    }

    @Test
    void errorsThatNeedAnAdminStopAndSoDoCodesNobodyClassified() {
        for (int errcode : new int[] {40001, 40002, 40013, 40125, 40164, 40243, 50001, 50002, 61004, 89503, 99999}) {
            assertThat(UpstreamFailure.classifyErrcode(errcode, "whatever").policy()).as("errcode %d", errcode)
                    .isEqualTo(ErrcodePolicy.STOP);
        }
    }

    @Test
    void theCallerIpIsTakenFromWhitelistErrorsOnly() {
        assertThat(UpstreamFailure.classifyErrcode(40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 1").ip())
                .isEqualTo("203.0.113.7");
        assertThat(UpstreamFailure.classifyErrcode(61004, "access clientip is not registered, clientip: 2001:db8::42").ip())
                .isEqualTo("2001:db8::42");
        assertThat(UpstreamFailure.classifyErrcode(40013, "invalid appid 203.0.113.7").ip()).isNull();
        assertThat(UpstreamFailure.ipIn("no address here")).isNull();
        assertThat(UpstreamFailure.ipIn(null)).isNull();
    }

    @Test
    void httpStatusesAreRetriedOnlyWhenTheServerMayAnswerLater() {
        assertThat(UpstreamFailure.classify(new UpstreamHttpException(TokenEndpoint.STABLE, 503)).policy())
                .isEqualTo(ErrcodePolicy.RETRY);
        assertThat(UpstreamFailure.classify(new UpstreamHttpException(TokenEndpoint.STABLE, 429)).policy())
                .isEqualTo(ErrcodePolicy.RETRY);
        assertThat(UpstreamFailure.classify(new UpstreamHttpException(TokenEndpoint.STABLE, 408)).policy())
                .isEqualTo(ErrcodePolicy.RETRY);
        UpstreamFailure notFound = UpstreamFailure.classify(new UpstreamHttpException(TokenEndpoint.CLASSIC, 404));
        assertThat(notFound.policy()).isEqualTo(ErrcodePolicy.STOP);
        assertThat(notFound.errcode()).isNull();
        assertThat(notFound.message()).isEqualTo("/cgi-bin/token answered HTTP 404");
    }

    @Test
    void timeoutsAndTransportFailuresAreRetriedAndWechatErrorsClassifiedByErrcode() {
        assertThat(UpstreamFailure.classify(new UpstreamTimeoutException(TokenEndpoint.WECOM, "no answer in 3s")).policy())
                .isEqualTo(ErrcodePolicy.RETRY);
        assertThat(UpstreamFailure.classify(new UpstreamTransportException(TokenEndpoint.STABLE, "connection refused")).policy())
                .isEqualTo(ErrcodePolicy.RETRY);
        UpstreamFailure wechat = UpstreamFailure.classify(new WechatErrorException(TokenEndpoint.STABLE, 45009, "daily quota"));
        assertThat(wechat.policy()).isEqualTo(ErrcodePolicy.PAUSE);
        assertThat(wechat.message()).isEqualTo("daily quota");
    }

    @Test
    void messagesAreClippedTo500Characters() {
        String long_ = "x".repeat(600);

        assertThat(UpstreamFailure.classifyErrcode(40013, long_).message()).hasSize(500);
        assertThat(UpstreamFailure.classifyErrcode(40013, null).message()).isEmpty();
    }
}
