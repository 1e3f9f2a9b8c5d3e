package dev.tokencenter.miniprogram;

import dev.tokencenter.client.ClientCallCounter;
import dev.tokencenter.client.CreatedClient;
import dev.tokencenter.miniprogram.MiniProgramApi.Answer;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.IntegrationTest;
import dev.tokencenter.support.TestInfrastructure;
import dev.tokencenter.support.TokenApiFixture;
import dev.tokencenter.support.TokenApiFixture.Credential;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Phone numbers and session checks with the managed access token, over HTTP against the simulator: the answer, its
 * problems, and one compare-and-refresh when WeChat has ended the token.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class MiniProgramPhoneNumberTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    ClientCallCounter calls;

    TokenApiFixture fixture;
    WebTestClient http;
    MiniProgramApi api;
    WechatSimulator simulator;
    String tenant;
    Credential mini;
    CreatedClient client;

    @BeforeEach
    void setUp() {
        fixture = new TokenApiFixture(context);
        http = TokenApiFixture.http(context);
        api = new MiniProgramApi(http);
        simulator = TestInfrastructure.get().simulator();
        tenant = fixture.tenant();
        mini = fixture.wechat(tenant, "mini", "prod");
        client = fixture.client(tenant, "mini/prod:token,session,phone-number");
    }

    @Test
    void aPhoneCodeGivesThePhoneInfoWithACountryCodeString(CapturedOutput output) {
        String code = simulator.mintPhoneCode(mini.appid(), "13800138000", "13800138000", "86");

        Answer phone = api.phoneNumber(mini, client.key(), code).expect(200);

        assertThat(phone.text("phone_number")).isEqualTo("13800138000");
        assertThat(phone.text("pure_phone_number")).isEqualTo("13800138000");
        assertThat(phone.json().path("country_code").isString()).isTrue();
        assertThat(phone.text("country_code")).isEqualTo("86");
        assertThat(phone.json().path("watermark").path("appid").asString()).isEqualTo(mini.appid());
        assertThat(phone.json().path("watermark").path("timestamp").isIntegralNumber()).isTrue();

        assertThat(api.phoneNumber(mini, client.key(), code).problem(400, "invalid-phone-code")
                .json().path("errcode").asInt()).isEqualTo(40029);
        String loginCode = simulator.mintLoginCode(mini.appid(), "o" + TokenApiFixture.hex(8), null).code();
        api.phoneNumber(mini, client.key(), loginCode).problem(400, "invalid-phone-code");

        calls.flush();
        assertThat(calls.allTime()).containsEntry(mini.key() + "|" + client.clientId() + "|phone-number", 3L);
        assertThat(output.getAll()).doesNotContain("13800138000").doesNotContain(code);
    }

    @Test
    void wechatsRefusalsOfAPhoneCodeAreDistinctProblems() {
        Credential other = fixture.wechat(tenant, "other", "prod");
        String foreign = simulator.mintPhoneCode(other.appid(), "13800138001", "13800138001", "86");
        assertThat(api.phoneNumber(mini, client.key(), foreign).problem(400, "phone-code-of-another-app")
                .json().path("errcode").asInt()).isEqualTo(40013);

        simulator.injectFault(Fault.errcode("/wxa/business/getuserphonenumber", mini.appid(), 45011, 1));
        Answer limited = api.phoneNumber(mini, client.key(), "any").problem(429, "wechat-rate-limited");
        assertThat(Long.parseLong(limited.headers().getFirst("Retry-After"))).isBetween(1L, 60L);

        simulator.injectFault(Fault.errcode("/wxa/business/getuserphonenumber", mini.appid(), -1, 1));
        assertThat(api.phoneNumber(mini, client.key(), "any").problem(503, "wechat-unavailable")
                .json().path("errcode").asInt()).isEqualTo(-1);

        api.post(MiniProgramApi.base(mini) + "/phone-number", client.key(), java.util.Map.of("openid", "o"))
                .problem(400, "invalid-request");
    }

    @Test
    void aTokenWechatEndedIsRefreshedOnceAndThePhoneNumberStillAnswers() {
        String before = currentToken();
        assertThat(simulator.invalidateToken(before)).isTrue();
        String code = simulator.mintPhoneCode(mini.appid(), "13800138002", "13800138002", "86");

        api.phoneNumber(mini, client.key(), code).expect(200);

        String after = currentToken();
        assertThat(after).isNotEqualTo(before);
        assertThat(simulator.tokenValidity(after).valid()).isTrue();
    }

    @Test
    void aSessionCheckWithATokenWechatEndedIsRefreshedOnceAndAnswers() {
        String openid = "o" + TokenApiFixture.hex(10);
        String session = api.login(mini, client.key(), simulator.mintLoginCode(mini.appid(), openid, null).code())
                .expect(201).text("session_id");
        String before = currentToken();
        simulator.invalidateToken(before);

        api.check(mini, client.key(), session).expect(200);

        assertThat(currentToken()).isNotEqualTo(before);
    }

    @Test
    void aTokenRefusedAgainAfterTheRefreshIsA503NotALoop() {
        currentToken();
        simulator.injectFault(Fault.errcode("/wxa/business/getuserphonenumber", mini.appid(), 40001, 2));
        long before = simulator.callCount(mini.appid(), "/wxa/business/getuserphonenumber");

        api.phoneNumber(mini, client.key(), "any").problem(503, "wechat-unavailable");

        assertThat(simulator.callCount(mini.appid(), "/wxa/business/getuserphonenumber") - before).isEqualTo(2);
    }

    private String currentToken() {
        byte[] body = http.get().uri("/v1/tokens/" + tenant + "/mini/prod").headers(h -> h.setBearerAuth(client.key()))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return MiniProgramApi.JSON.readTree(body).path("access_token").asString();
    }
}
