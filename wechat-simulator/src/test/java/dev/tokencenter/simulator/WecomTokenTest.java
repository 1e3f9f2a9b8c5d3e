package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WecomTokenTest extends SimulatorTestBase {

    @BeforeEach
    void registerCorp() {
        sim.registerApp(CORPID, CORPSECRET, Platform.WECOM);
    }

    private SimClient.Reply corpTicket(String token) {
        return client.get("/cgi-bin/get_jsapi_ticket", "access_token", token);
    }

    @Test
    void repeatedCallsReturnTheSameTokenWhileItIsValid() {
        SimClient.Reply first = client.wecomToken(CORPID, CORPSECRET);
        assertThat(first.errcode()).isZero();
        assertThat(first.string("errmsg")).isEqualTo("ok");
        assertThat(first.number("expires_in")).isEqualTo(20);
        assertThat(first.string("access_token")).hasSizeGreaterThan(120);

        advance(8);
        SimClient.Reply second = client.wecomToken(CORPID, CORPSECRET);
        assertThat(second.string("access_token")).isEqualTo(first.string("access_token"));
        assertThat(second.number("expires_in")).isEqualTo(12);
        assertThat(sim.tokensIssued(CORPID)).isEqualTo(1);
        assertThat(corpTicket(first.string("access_token")).errcode()).isZero();
    }

    @Test
    void eachSecretOfACorpHasItsOwnToken() {
        sim.registerApp(CORPID, "corp-secret-app-2", Platform.WECOM);
        String one = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        String two = client.wecomToken(CORPID, "corp-secret-app-2").string("access_token");
        assertThat(one).isNotEqualTo(two);
        assertThat(sim.tokensIssued(CORPID)).isEqualTo(2);
    }

    @Test
    void invalidatedTokenFailsWith40014AndTheNextFetchIssuesANewOne() {
        String token = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        sim.invalidateToken(token);

        SimClient.Reply use = corpTicket(token);
        assertThat(use.errcode()).isEqualTo(40014);
        assertThat(use.string("errmsg")).contains("more info at https://open.work.weixin.qq.com/devtool/query?e=40014");
        String fresh = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        assertThat(fresh).isNotEqualTo(token);
        assertThat(corpTicket(fresh).errcode()).isZero();
    }

    @Test
    void expiredTokenFailsWith42001AndIsReplaced() {
        String token = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        advance(20);
        assertThat(corpTicket(token).errcode()).isEqualTo(42001);
        assertThat(client.wecomToken(CORPID, CORPSECRET).string("access_token")).isNotEqualTo(token);
    }

    @Test
    void errors() {
        assertThat(client.wecomToken("ww9999999999999999", CORPSECRET).errcode()).isEqualTo(40013);
        assertThat(client.wecomToken(CORPID, "wrong").errcode()).isEqualTo(40001);
        assertThat(client.wecomToken(CORPID, "wrong").string("errmsg")).startsWith("invalid credential");
        assertThat(client.get("/cgi-bin/gettoken", "corpsecret", CORPSECRET).errcode()).isEqualTo(41002);
        assertThat(client.get("/cgi-bin/gettoken", "corpid", CORPID).errcode()).isEqualTo(41004);
        assertThat(client.wecomToken(APPID, SECRET).errcode()).as("a WeChat app is no corp").isEqualTo(40013);
        assertThat(corpTicket("nope").errcode()).isEqualTo(40014);
    }

    @Test
    void tokensOfOnePlatformAreUnknownToTheOther() {
        String wecom = client.wecomToken(CORPID, CORPSECRET).string("access_token");
        String wechat = client.classicToken(APPID, SECRET).string("access_token");
        assertThat(client.ticket(wecom).errcode()).isEqualTo(40001);
        assertThat(corpTicket(wechat).errcode()).isEqualTo(40014);
        assertThat(client.get("/cgi-bin/ticket/get", "access_token", wecom, "type", "agent_config").errcode()).isZero();
    }
}
