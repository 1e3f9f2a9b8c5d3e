package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassicTokenTest extends SimulatorTestBase {

    @Test
    void eachFetchIssuesANewLongTokenWithTheFullLifetime() {
        SimClient.Reply first = client.classicToken(APPID, SECRET);
        SimClient.Reply second = client.classicToken(APPID, SECRET);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json()).containsOnlyKeys("access_token", "expires_in");
        assertThat(first.number("expires_in")).isEqualTo(20);
        assertThat(first.string("access_token")).hasSizeGreaterThanOrEqualTo(120).matches("[A-Za-z0-9_-]+");
        assertThat(second.string("access_token")).isNotEqualTo(first.string("access_token"));
        assertThat(first.contentType()).startsWith("application/json");
        assertThat(sim.tokensIssued(APPID)).isEqualTo(2);
    }

    @Test
    void previousTokenStaysValidForTheGracePeriodThenDiesWith40001() {
        String old = client.classicToken(APPID, SECRET).string("access_token");
        String current = client.classicToken(APPID, SECRET).string("access_token");

        assertThat(client.ticket(old).errcode()).isZero();
        advance(2);
        assertThat(client.ticket(old).errcode()).isZero();
        advance(2); // 4 s after the new fetch, grace is 3 s
        SimClient.Reply dead = client.ticket(old);
        assertThat(dead.errcode()).isEqualTo(40001);
        assertThat(dead.string("errmsg")).startsWith("invalid credential").contains(" rid: ");
        assertThat(client.ticket(current).errcode()).isZero();
        assertThat(sim.tokenValidity(old).valid()).isFalse();
        assertThat(sim.tokenValidity(current).valid()).isTrue();
    }

    @Test
    void tokenExpiresAtTheEndOfItsLifetimeWith42001() {
        String token = client.classicToken(APPID, SECRET).string("access_token");
        advance(19);
        assertThat(client.ticket(token).errcode()).isZero();
        advance(1);
        assertThat(client.ticket(token).errcode()).isEqualTo(42001);
    }

    @Test
    void credentialAndParameterErrors() {
        assertThat(client.classicToken(APPID, "wrong").errcode()).isEqualTo(40125);
        assertThat(client.classicToken("wx9999999999999999", SECRET).errcode()).isEqualTo(40013);
        assertThat(client.get("/cgi-bin/token", "grant_type", "authorization_code", "appid", APPID, "secret", SECRET)
                .errcode()).isEqualTo(40002);
        assertThat(client.get("/cgi-bin/token", "grant_type", "client_credential", "secret", SECRET).errcode())
                .isEqualTo(41002);
        assertThat(client.get("/cgi-bin/token", "grant_type", "client_credential", "appid", APPID).errcode())
                .isEqualTo(41004);
        assertThat(client.classicToken(APPID, "wrong").string("errmsg")).matches("invalid appsecret rid: \\w{8}-\\w{8}-\\w{8}");
        assertThat(sim.tokensIssued(APPID)).isZero();
    }

    @Test
    void wecomCorpIsUnknownToTheWechatTokenApi() {
        sim.registerApp(CORPID, CORPSECRET, Platform.WECOM);
        assertThat(client.classicToken(CORPID, CORPSECRET).errcode()).isEqualTo(40013);
    }

    @Test
    void classicAndStableTokensNeverAffectEachOther() {
        String stable = client.stableToken(APPID, SECRET, false).string("access_token");
        String classic = client.classicToken(APPID, SECRET).string("access_token");
        client.classicToken(APPID, SECRET);
        advance(4);
        assertThat(client.ticket(stable).errcode()).as("classic fetches leave the stable token alone").isZero();

        String newerClassic = client.classicToken(APPID, SECRET).string("access_token");
        client.stableToken(APPID, SECRET, true);
        assertThat(client.ticket(newerClassic).errcode()).as("a force refresh leaves classic alone").isZero();
        assertThat(client.ticket(classic).errcode()).isEqualTo(40001);
    }

    @Test
    void changedSecretRejectsTheOldOneButKeepsIssuedTokens() {
        String token = client.classicToken(APPID, SECRET).string("access_token");
        sim.changeSecret(APPID, "new-secret");

        assertThat(client.classicToken(APPID, SECRET).errcode()).isEqualTo(40125);
        assertThat(client.ticket(token).errcode()).isZero();
        assertThat(client.classicToken(APPID, "new-secret").string("access_token")).isNotBlank();
    }

    @Test
    void tokenChecksOnApisThatTakeAToken() {
        assertThat(client.get("/cgi-bin/ticket/getticket", "type", "jsapi").errcode()).isEqualTo(41001);
        assertThat(client.ticket("not-a-token").errcode()).isEqualTo(40001);
        String token = client.classicToken(APPID, SECRET).string("access_token");
        assertThat(sim.invalidateToken(token)).isTrue();
        assertThat(client.ticket(token).errcode()).isEqualTo(40001);
    }

    @Test
    void ticketIsCachedPerAppUntilItExpires() {
        String token = client.stableToken(APPID, SECRET, false).string("access_token");
        SimClient.Reply first = client.ticket(token);
        assertThat(first.errcode()).isZero();
        assertThat(first.string("errmsg")).isEqualTo("ok");
        assertThat(first.number("expires_in")).isEqualTo(20);
        advance(5);
        assertThat(client.ticket(token).string("ticket")).isEqualTo(first.string("ticket"));
        assertThat(client.get("/cgi-bin/ticket/getticket", "access_token", token, "type", "card").errcode())
                .isEqualTo(40097);
        assertThat(client.get("/cgi-bin/ticket/getticket", "access_token", token, "type", "wx_card")
                .string("ticket")).isNotEqualTo(first.string("ticket"));
        advance(15);
        String renewedToken = client.stableToken(APPID, SECRET, false).string("access_token");
        assertThat(client.ticket(renewedToken).string("ticket")).isNotEqualTo(first.string("ticket"));
    }

    @Test
    void unknownPathsAnswer404() {
        assertThat(client.get("/cgi-bin/nope").status()).isEqualTo(404);
    }
}
