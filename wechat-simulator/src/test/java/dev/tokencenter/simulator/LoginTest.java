package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code GET /sns/jscode2session}. */
class LoginTest extends SimulatorTestBase {

    private SimClient.Reply exchange(String appid, String secret, String code) {
        return client.jscode2session(appid, secret, code);
    }

    @Test
    void returnsTheUserAndSessionKeyLabelledTextPlain() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", "unionid-1");
        SimClient.Reply reply = exchange(APPID, SECRET, login.code());

        assertThat(reply.contentType()).startsWith("text/plain");
        assertThat(reply.json()).containsOnlyKeys("session_key", "openid", "unionid");
        assertThat(reply.string("openid")).isEqualTo("openid-1");
        assertThat(reply.string("unionid")).isEqualTo("unionid-1");
        assertThat(reply.string("session_key")).isEqualTo(login.sessionKey()).hasSize(24);
        assertThat(Base64.getDecoder().decode(login.sessionKey())).hasSize(16);

        LoginCode noUnion = sim.mintLoginCode(APPID, "openid-2", null);
        assertThat(exchange(APPID, SECRET, noUnion.code()).json()).containsOnlyKeys("session_key", "openid");
    }

    @Test
    void codeIsSingleUse() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isZero();
        SimClient.Reply reused = exchange(APPID, SECRET, login.code());
        assertThat(reused.errcode()).isEqualTo(40163);
        assertThat(reused.string("errmsg")).startsWith("code been used").matches(RID_SUFFIX);
        assertThat(reused.contentType()).as("errors are labelled like answers").startsWith("text/plain");
    }

    @Test
    void codeIsValidFiveMinutesOnTheSimulatorClock() {
        LoginCode early = sim.mintLoginCode(APPID, "openid-1", null);
        LoginCode late = sim.mintLoginCode(APPID, "openid-2", null);
        advance(299);
        assertThat(exchange(APPID, SECRET, early.code()).errcode()).isZero();
        advance(1);
        SimClient.Reply expired = exchange(APPID, SECRET, late.code());
        assertThat(expired.errcode()).isEqualTo(40029);
        assertThat(expired.string("errmsg")).startsWith("invalid code");
    }

    @Test
    void parameterAndCredentialErrors() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        String code = login.code();
        assertThat(client.get("/sns/jscode2session", "secret", SECRET, "js_code", code,
                "grant_type", "authorization_code").errcode()).isEqualTo(41002);
        assertThat(client.get("/sns/jscode2session", "appid", APPID, "js_code", code,
                "grant_type", "authorization_code").errcode()).isEqualTo(41004);
        assertThat(client.get("/sns/jscode2session", "appid", APPID, "secret", SECRET,
                "grant_type", "authorization_code").errcode()).isEqualTo(41008);
        assertThat(client.get("/sns/jscode2session", "appid", APPID, "secret", SECRET, "js_code", code)
                .errcode()).as("grant_type missing").isEqualTo(40002);
        assertThat(client.get("/sns/jscode2session", "appid", APPID, "secret", SECRET, "js_code", code,
                "grant_type", "client_credential").errcode()).isEqualTo(40002);
        assertThat(exchange(APPID, "wrong", code).errcode()).isEqualTo(40125);
        assertThat(exchange("wx9999999999999999", SECRET, code).errcode()).isEqualTo(40013);
        assertThat(exchange(OTHER_APPID, OTHER_SECRET, code).errcode()).as("another app's code").isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, "0a3Xkr000Hd0dU1HlA200lvXJJ3Xkr0P").errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, code).errcode()).as("failed attempts did not use the code").isZero();
    }

    @Test
    void codeIsMatchedExactlyAsIssued() {
        String code = sim.mintLoginCode(APPID, "openid-1", null).code();
        assertThat(exchange(APPID, SECRET, code + " ").errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, " " + code).errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, code.toLowerCase(Locale.ROOT)).errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, code.toUpperCase(Locale.ROOT)).errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, code.substring(1)).errcode()).isEqualTo(40029);
        assertThat(exchange(APPID, SECRET, code).errcode()).isZero();
    }

    @Test
    void aNewerLoginReplacesTheSessionKey() {
        LoginCode first = sim.mintLoginCode(APPID, "openid-1", null);
        LoginCode second = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(second.sessionKey()).isNotEqualTo(first.sessionKey());
        assertThat(sim.currentSessionKey(APPID, "openid-1")).contains(second.sessionKey());

        SimClient.Reply olderCode = exchange(APPID, SECRET, first.code());
        assertThat(olderCode.string("session_key")).as("a user has one valid session_key").isEqualTo(second.sessionKey());
        String token = stableToken(APPID, SECRET);
        assertThat(client.checkSession(token, "openid-1", WechatSimulator.sessionSignature(first.sessionKey()))
                .errcode()).isEqualTo(87009);
        assertThat(client.checkSession(token, "openid-1", WechatSimulator.sessionSignature(second.sessionKey()))
                .errcode()).isZero();
        assertThat(sim.currentSessionKey(APPID, "someone-else")).isEmpty();
        assertThat(sim.currentSessionKey(OTHER_APPID, "openid-1")).as("sessions are per app").isEmpty();
    }

    @Test
    void over100CallsPerUserInAMinuteAnswer45011() {
        LoginCode first = sim.mintLoginCode(APPID, "openid-1", null);
        assertThat(exchange(APPID, SECRET, first.code()).errcode()).isZero();
        for (int call = 2; call <= 100; call++) {
            assertThat(exchange(APPID, SECRET, first.code()).errcode()).as("call %d", call).isEqualTo(40163);
        }
        LoginCode fresh = sim.mintLoginCode(APPID, "openid-1", null);
        SimClient.Reply limited = exchange(APPID, SECRET, fresh.code());
        assertThat(limited.errcode()).isEqualTo(45011);
        assertThat(limited.string("errmsg")).matches(RID_SUFFIX);

        assertThat(exchange(APPID, SECRET, sim.mintLoginCode(APPID, "openid-2", null).code()).errcode())
                .as("another user").isZero();
        assertThat(exchange(OTHER_APPID, OTHER_SECRET, sim.mintLoginCode(OTHER_APPID, "openid-1", null).code())
                .errcode()).as("the same openid in another app").isZero();
        advance(60);
        assertThat(exchange(APPID, SECRET, fresh.code()).string("session_key"))
                .as("the refused call did not use the code").isEqualTo(fresh.sessionKey());
    }

    @Test
    void theUserLimitIsASetting() {
        restartWith(settings().withLoginUserMinuteLimit(2));
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        exchange(APPID, SECRET, "unknown-code-does-not-count-for-anyone");
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isZero();
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isEqualTo(40163);
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isEqualTo(45011);
        assertThat(client.get("/__sim/settings").number("login_user_minute_limit")).isEqualTo(2);
    }

    @Test
    void aHighRiskUserIsRefusedWith40226UntilCleared() {
        LoginCode login = sim.mintLoginCode(APPID, "risky", "union-risky");
        sim.markHighRiskUser(APPID, "risky");

        SimClient.Reply refused = exchange(APPID, SECRET, login.code());
        assertThat(refused.errcode()).isEqualTo(40226);
        assertThat(refused.string("errmsg")).startsWith("high risk user").matches(RID_SUFFIX);
        assertThat(exchange(APPID, SECRET, sim.mintLoginCode(APPID, "calm", null).code()).errcode()).isZero();
        assertThat(exchange(OTHER_APPID, OTHER_SECRET, sim.mintLoginCode(OTHER_APPID, "risky", null).code())
                .errcode()).as("flags are per app").isZero();

        assertThat(sim.clearHighRiskUser(APPID, "risky")).isTrue();
        assertThat(sim.clearHighRiskUser(APPID, "risky")).isFalse();
        assertThat(exchange(APPID, SECRET, login.code()).string("unionid")).as("the refusal did not use the code")
                .isEqualTo("union-risky");
        assertThatThrownBy(() -> sim.markHighRiskUser("wx9999999999999999", "risky"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemBusyComesFromAFaultAndLeavesTheCodeUnused() {
        LoginCode login = sim.mintLoginCode(APPID, "openid-1", null);
        sim.injectFault(Fault.errcode(MiniProgramEndpoints.JSCODE2SESSION, APPID, -1, 1));

        SimClient.Reply busy = exchange(APPID, SECRET, login.code());
        assertThat(busy.errcode()).isEqualTo(-1);
        assertThat(busy.string("errmsg")).startsWith("system error").matches(RID_SUFFIX);
        assertThat(busy.contentType()).startsWith("text/plain");
        assertThat(exchange(APPID, SECRET, login.code()).errcode()).isZero();
        assertThat(sim.callCount(APPID, MiniProgramEndpoints.JSCODE2SESSION)).isEqualTo(2);
    }
}
