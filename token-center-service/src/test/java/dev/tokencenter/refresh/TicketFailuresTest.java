package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;
import dev.tokencenter.wechat.UpstreamHttpException;
import dev.tokencenter.wechat.UpstreamTimeoutException;
import dev.tokencenter.wechat.WechatErrorException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed ticket call leads to: the errcode rules for tickets, without Spring, Redis or WeChat. */
class TicketFailuresTest {

    private static final RefreshProperties PROPERTIES = DefaultRefreshProperties.get();
    private static final Instant NOW = Instant.parse("2026-11-30T10:17:23Z");
    private static final Instant NEXT_QUOTA_DAY = Instant.parse("2026-11-30T16:00:00Z");

    @Test
    void tokenErrorsAskForATokenRefreshAndHoldNothing() {
        for (int errcode : new int[] {40001, 40014, 42001}) {
            TicketFailures.Classified failure = classify(new WechatErrorException(TicketEndpoint.JSAPI, errcode, "invalid credential"),
                    TicketEndpoint.JSAPI, null);
            assertThat(failure.tokenRejected()).isTrue();
            assertThat(failure.error().notBefore()).isEqualTo(NOW);
            assertThat(failure.error().limited()).isFalse();
        }
    }

    @Test
    void theLimitHoldsWecomUntilTheNextClockHourAndWechatUntilTheNextQuotaDay() {
        TicketFailures.Classified wecom = classify(new WechatErrorException(TicketEndpoint.CORP_JSAPI, 45009,
                "api freq out of limit"), TicketEndpoint.CORP_JSAPI, null);
        assertThat(wecom.tokenRejected()).isFalse();
        assertThat(wecom.error().limited()).isTrue();
        assertThat(wecom.error().notBefore()).isEqualTo(Instant.parse("2026-11-30T11:00:00Z"));
        TicketFailures.Classified wechat = classify(new WechatErrorException(TicketEndpoint.JSAPI, 45009, "reach max api daily quota limit"),
                TicketEndpoint.JSAPI, null);
        assertThat(wechat.error().notBefore()).isEqualTo(NEXT_QUOTA_DAY);
        assertThat(wechat.error().errcode()).isEqualTo(45009);
    }

    @Test
    void transientFailuresBackOffExponentiallyUpToTheMaximum() {
        TicketFailures.Classified first = classify(new UpstreamTimeoutException(TicketEndpoint.JSAPI, "no answer in time"),
                TicketEndpoint.JSAPI, null);
        assertThat(first.error().notBefore()).isEqualTo(NOW.plus(PROPERTIES.retryInitialBackoff()));
        assertThat(first.error().errcode()).isNull();
        TicketFailures.Classified second = classify(new WechatErrorException(TicketEndpoint.JSAPI, -1, "system error"),
                TicketEndpoint.JSAPI, first.error());
        assertThat(second.error().failures()).isEqualTo(2);
        assertThat(second.error().notBefore()).isEqualTo(NOW.plus(PROPERTIES.retryInitialBackoff().multipliedBy(2)));
        TicketError many = new TicketError(null, "x", NOW, NOW, false, 40);
        assertThat(classify(new UpstreamHttpException(TicketEndpoint.JSAPI, 502), TicketEndpoint.JSAPI, many).error().notBefore())
                .isEqualTo(NOW.plus(PROPERTIES.retryMaxBackoff()));
    }

    @Test
    void otherAnswersAreRecordedAndNotRetriedBeforeTheMaximumBackoff() {
        TicketFailures.Classified unknown = classify(new WechatErrorException(TicketEndpoint.AGENT_CONFIG, 40097, "invalid args"),
                TicketEndpoint.AGENT_CONFIG, null);
        assertThat(unknown.tokenRejected()).isFalse();
        assertThat(unknown.error().message()).isEqualTo("invalid args");
        assertThat(unknown.error().notBefore()).isEqualTo(NOW.plus(PROPERTIES.retryMaxBackoff()));
        assertThat(classify(new UpstreamHttpException(TicketEndpoint.JSAPI, 403), TicketEndpoint.JSAPI, null).error().notBefore())
                .isEqualTo(NOW.plus(PROPERTIES.retryMaxBackoff()));
        assertThat(TicketFailures.backoff(3, PROPERTIES)).isEqualTo(Duration.ofSeconds(4));
    }

    private static TicketFailures.Classified classify(dev.tokencenter.wechat.UpstreamCallException failure,
                                                      TicketEndpoint kind, TicketError previous) {
        return TicketFailures.classify(failure, kind, previous, NOW, NEXT_QUOTA_DAY, PROPERTIES);
    }
}
