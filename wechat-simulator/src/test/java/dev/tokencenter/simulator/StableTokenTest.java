package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StableTokenTest extends SimulatorTestBase {

    @Test
    void normalCallsReturnTheSameTokenUntilTheRotationWindowThenANewOne() {
        SimClient.Reply first = client.stableToken(APPID, SECRET, false);
        assertThat(first.number("expires_in")).isEqualTo(20);
        String s1 = first.string("access_token");

        advance(10);
        SimClient.Reply again = client.stableToken(APPID, SECRET, false);
        assertThat(again.string("access_token")).isEqualTo(s1);
        assertThat(again.number("expires_in")).isEqualTo(10);

        advance(5); // 5 s left = the window: rotate
        SimClient.Reply rotated = client.stableToken(APPID, SECRET, false);
        String s2 = rotated.string("access_token");
        assertThat(s2).isNotEqualTo(s1);
        assertThat(rotated.number("expires_in")).isEqualTo(20);
        assertThat(client.ticket(s1).errcode()).as("the old token lives to its own expiry").isZero();
        assertThat(client.stableToken(APPID, SECRET, false).string("access_token")).isEqualTo(s2);

        advance(5);
        assertThat(client.ticket(s1).errcode()).isEqualTo(42001);
        assertThat(client.ticket(s2).errcode()).isZero();
        assertThat(sim.tokensIssued(APPID)).isEqualTo(2);
    }

    @Test
    void expiredTokenIsReplacedOnTheNextCall() {
        String s1 = client.stableToken(APPID, SECRET, false).string("access_token");
        advance(25);
        assertThat(client.stableToken(APPID, SECRET, false).string("access_token")).isNotEqualTo(s1);
    }

    @Test
    void forceRefreshInvalidatesTheCurrentTokenAtOnce() {
        String s1 = client.stableToken(APPID, SECRET, false).string("access_token");
        advance(1);
        SimClient.Reply forced = client.stableToken(APPID, SECRET, true);
        String s2 = forced.string("access_token");

        assertThat(s2).isNotEqualTo(s1);
        assertThat(forced.number("expires_in")).isEqualTo(20);
        assertThat(client.ticket(s1).errcode()).isEqualTo(40001);
        assertThat(client.ticket(s2).errcode()).isZero();
        assertThat(sim.tokenValidity(s1).valid()).isFalse();
    }

    @Test
    void forceCallsWithin30SecondsOfTheLastForceRefreshDoNotRefreshAgain() {
        String s2 = client.stableToken(APPID, SECRET, true).string("access_token");
        long issued = sim.tokensIssued(APPID);

        advance(10);
        SimClient.Reply tooSoon = client.stableToken(APPID, SECRET, true);
        assertThat(tooSoon.string("access_token")).isEqualTo(s2);
        assertThat(tooSoon.number("expires_in")).isEqualTo(10);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(issued);
        assertThat(client.ticket(s2).errcode()).isZero();

        advance(21); // 31 s after the force refresh
        String s3 = client.stableToken(APPID, SECRET, true).string("access_token");
        assertThat(s3).isNotEqualTo(s2);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(issued + 1);
    }

    @Test
    void atMost20ForceRefreshesPerQuotaDayThenResetAtTheNextUtcPlus8Day() {
        for (int i = 0; i < 20; i++) {
            assertThat(client.stableToken(APPID, SECRET, true).errcode()).as("force refresh %d", i + 1).isZero();
            advance(31);
        }
        String current = client.stableToken(APPID, SECRET, false).string("access_token");
        SimClient.Reply refused = client.stableToken(APPID, SECRET, true);
        assertThat(refused.errcode()).isEqualTo(45009);
        assertThat(refused.string("errmsg")).startsWith("reach max api daily quota limit");
        assertThat(client.ticket(current).errcode()).as("a refused force refresh kills nothing").isZero();
        assertThat(client.stableToken(APPID, SECRET, false).string("access_token")).isEqualTo(current);

        advanceToNextQuotaDay();
        assertThat(client.stableToken(APPID, SECRET, true).errcode()).isZero();
    }

    @Test
    void quotaDayBoundaryIsMidnightChinaStandardTime() {
        assertThat(sim.clock().untilNextQuotaDay()).isPositive();
        java.time.Instant next = sim.clock().now().plus(sim.clock().untilNextQuotaDay());
        assertThat(next.atOffset(java.time.ZoneOffset.ofHours(8)).toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
        assertThat(next.atOffset(java.time.ZoneOffset.UTC).getHour()).isEqualTo(16);
    }

    @Test
    void credentialAndRequestErrors() {
        assertThat(client.stableToken(APPID, "wrong", false).errcode()).isEqualTo(40125);
        assertThat(client.stableToken("wx9999999999999999", SECRET, false).errcode()).isEqualTo(40013);
        assertThat(client.post("/cgi-bin/stable_token", Map.of("grant_type", "password", "appid", APPID,
                "secret", SECRET)).errcode()).isEqualTo(40002);
        assertThat(client.post("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "secret", SECRET))
                .errcode()).isEqualTo(41002);
        assertThat(client.post("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "appid", APPID))
                .errcode()).isEqualTo(41004);
        assertThat(client.get("/cgi-bin/stable_token", "appid", APPID).errcode()).isEqualTo(43002);
        assertThat(client.post("/cgi-bin/stable_token", "not json").errcode()).isEqualTo(47001);
    }
}
