package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every WeChat errmsg ends in {@code " rid: <id>"}, whatever produced the error. */
class ErrmsgTest extends SimulatorTestBase {

    @Test
    void everyWechatErrorEndsInARequestId() {
        String token = stableToken(APPID, SECRET);
        sim.injectFault(Fault.errcode(TicketEndpoints.WECHAT_TICKET, APPID, 40164,
                "invalid ip 10.0.0.1 ipv6 ::ffff:10.0.0.1, not in whitelist", 1));
        sim.injectFault(Fault.errcode(QuotaEndpoints.CLEAR, null, 48006, 1));
        List<SimClient.Reply> errors = List.of(
                client.classicToken(APPID, "wrong"),
                client.stableToken("wx9999999999999999", SECRET, false),
                client.jscode2session(APPID, SECRET, "unknown"),
                client.get("/sns/jscode2session", "appid", APPID),
                client.phoneNumber(token, "unknown"),
                client.post(MiniProgramEndpoints.PHONE_NUMBER, "[]", "access_token", token),
                client.checkSession(token, "nobody", "00"),
                client.checkSession("expired-or-unknown", "nobody", "00"),
                client.ticket(token),
                client.post(QuotaEndpoints.CLEAR, Map.of("appid", APPID), "access_token", token),
                client.get("/cgi-bin/ticket/getticket", "access_token", token, "type", "card"));

        assertThat(errors).allSatisfy(reply -> {
            assertThat(reply.errcode()).isNotZero();
            assertThat(reply.string("errmsg")).matches(SimulatorTestBase.RID_SUFFIX);
        });
        assertThat(errors.get(8).string("errmsg"))
                .startsWith("invalid ip 10.0.0.1 ipv6 ::ffff:10.0.0.1, not in whitelist rid: ");
    }

    @Test
    void aFaultMessageThatNamesItsOwnRequestIdIsKept() {
        sim.injectFault(Fault.errcode("/cgi-bin/token", APPID, -1, "system error rid: 6552e3da-6397437b-3f0d4f01", 1));
        assertThat(client.classicToken(APPID, SECRET).string("errmsg"))
                .isEqualTo("system error rid: 6552e3da-6397437b-3f0d4f01");
    }
}
