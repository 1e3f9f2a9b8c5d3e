package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaTest extends SimulatorTestBase {

    @Override
    SimulatorSettings settings() {
        return super.settings().withClassicDailyQuota(3).withStableDailyQuota(5).withStableMinuteQuota(3);
    }

    @Test
    void classicDailyQuotaGives45009ThenResetsOnTheNextQuotaDay() {
        for (int i = 0; i < 3; i++) {
            assertThat(client.classicToken(APPID, SECRET).errcode()).isZero();
        }
        SimClient.Reply refused = client.classicToken(APPID, SECRET);
        assertThat(refused.errcode()).isEqualTo(45009);
        assertThat(refused.string("errmsg")).startsWith("reach max api daily quota limit rid: ");
        assertThat(client.classicToken(OTHER_APPID, OTHER_SECRET).errcode()).as("quota is per appid").isZero();
        assertThat(sim.callCount(APPID, "/cgi-bin/token")).as("refused calls still count").isEqualTo(4);

        advance(3600);
        assertThat(client.classicToken(APPID, SECRET).errcode()).isEqualTo(45009);
        advanceToNextQuotaDay();
        assertThat(client.classicToken(APPID, SECRET).errcode()).isZero();
        assertThat(sim.callCount(APPID, "/cgi-bin/token")).as("call counters never reset by day").isEqualTo(6);
    }

    @Test
    void stableMinuteQuotaGives45011AndDailyQuotaGives45009() {
        for (int i = 0; i < 3; i++) {
            assertThat(client.stableToken(APPID, SECRET, false).errcode()).isZero();
        }
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isEqualTo(45011);
        advance(60);
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isZero();
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isZero();
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isEqualTo(45009);
        advanceToNextQuotaDay();
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isZero();
    }

    @Test
    void clearQuotaResetsTheAppsQuotaTenTimesAMonthThen48006() {
        String token = client.stableToken(APPID, SECRET, false).string("access_token");
        for (int i = 0; i < 3; i++) {
            client.classicToken(APPID, SECRET);
        }
        assertThat(client.classicToken(APPID, SECRET).errcode()).isEqualTo(45009);

        SimClient.Reply cleared = client.post("/cgi-bin/clear_quota", Map.of("appid", APPID), "access_token", token);
        assertThat(cleared.errcode()).isZero();
        assertThat(cleared.string("errmsg")).isEqualTo("ok");
        assertThat(client.classicToken(APPID, SECRET).errcode()).isZero();

        for (int i = 1; i < 9; i++) {
            assertThat(client.post("/cgi-bin/clear_quota", Map.of("appid", APPID), "access_token", token).errcode())
                    .isZero();
        }
        assertThat(client.post("/cgi-bin/clear_quota/v2", Map.of("appid", APPID, "appsecret", SECRET)).errcode())
                .as("the 10th use, via v2").isZero();
        SimClient.Reply exhausted = client.post("/cgi-bin/clear_quota", Map.of("appid", APPID), "access_token", token);
        assertThat(exhausted.errcode()).isEqualTo(48006);
        assertThat(client.post("/cgi-bin/clear_quota/v2", Map.of("appid", APPID, "appsecret", SECRET)).errcode())
                .isEqualTo(48006);
    }

    @Test
    void clearQuotaErrors() {
        String token = client.stableToken(APPID, SECRET, false).string("access_token");
        assertThat(client.post("/cgi-bin/clear_quota", Map.of("appid", OTHER_APPID), "access_token", token).errcode())
                .isEqualTo(48001);
        assertThat(client.post("/cgi-bin/clear_quota", Map.of("appid", APPID)).errcode()).isEqualTo(41001);
        assertThat(client.post("/cgi-bin/clear_quota/v2", Map.of("appid", APPID, "appsecret", "wrong")).errcode())
                .isEqualTo(40125);
        assertThat(client.post("/cgi-bin/clear_quota/v2", Map.of("appid", "wx9999999999999999", "appsecret", SECRET))
                .errcode()).isEqualTo(40013);
    }

    @Test
    void quotaGetReportsDailyLimitUsedAndRemain() {
        client.classicToken(APPID, SECRET);
        String token = client.classicToken(APPID, SECRET).string("access_token");

        SimClient.Reply reply = client.post("/cgi-bin/openapi/quota/get", Map.of("cgi_path", "/cgi-bin/token"),
                "access_token", token);
        assertThat(reply.errcode()).isZero();
        assertThat(reply.object("quota")).containsEntry("daily_limit", 3).containsEntry("used", 2)
                .containsEntry("remain", 1);

        SimClient.Reply sns = client.post("/cgi-bin/openapi/quota/get", Map.of("cgi_path", "/sns/jscode2session"),
                "access_token", token);
        assertThat(sns.errcode()).isEqualTo(76021);
        assertThat(client.post("/cgi-bin/openapi/quota/get", Map.of("cgi_path", "/cgi-bin/stable_token"),
                "access_token", token).object("quota")).containsEntry("daily_limit", 5).containsEntry("used", 0);
    }
}
