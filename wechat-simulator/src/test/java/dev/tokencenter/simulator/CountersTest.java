package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountersTest extends SimulatorTestBase {

    @Test
    void everyCallIsCountedPerAppidAndEndpointIncludingFailures() {
        client.classicToken(APPID, SECRET);
        client.classicToken(APPID, "wrong");
        client.stableToken(APPID, SECRET, false);
        client.stableToken(OTHER_APPID, OTHER_SECRET, false);
        client.get("/cgi-bin/ticket/getticket", "type", "jsapi");

        assertThat(sim.callCount(APPID, "/cgi-bin/token")).isEqualTo(2);
        assertThat(sim.callCount(APPID, "/cgi-bin/stable_token")).isEqualTo(1);
        assertThat(sim.callCounts())
                .containsEntry(APPID, java.util.Map.of("/cgi-bin/token", 2L, "/cgi-bin/stable_token", 1L))
                .containsEntry(OTHER_APPID, java.util.Map.of("/cgi-bin/stable_token", 1L))
                .containsEntry("unknown", java.util.Map.of("/cgi-bin/ticket/getticket", 1L));

        sim.resetCounters();
        assertThat(sim.callCounts()).isEmpty();
        assertThat(sim.callCount(APPID, "/cgi-bin/token")).isZero();
    }

    @Test
    void tokensIssuedCountsOnlyDistinctNewTokens() {
        client.stableToken(APPID, SECRET, false);
        client.stableToken(APPID, SECRET, false);
        client.stableToken(APPID, SECRET, false);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(1);
        client.classicToken(APPID, SECRET);
        client.classicToken(APPID, SECRET);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(3);
        assertThat(sim.tokensIssued(OTHER_APPID)).isZero();
    }

    @Test
    void resetForgetsAppsTokensAndCountersButKeepsTheClock() {
        String token = client.classicToken(APPID, SECRET).string("access_token");
        java.time.Instant before = sim.clock().now();
        sim.reset();

        assertThat(client.classicToken(APPID, SECRET).errcode()).isEqualTo(40013);
        assertThat(sim.tokenValidity(token)).isEqualTo(new TokenValidity(false, null, null));
        assertThat(sim.tokensIssued(APPID)).isZero();
        assertThat(sim.callCounts()).containsOnlyKeys(APPID);
        assertThat(sim.clock().now()).isEqualTo(before);
    }

    @Test
    void tokenValidityTellsAppAndEffectiveEnd() {
        java.time.Instant now = sim.clock().now();
        String token = client.classicToken(APPID, SECRET).string("access_token");
        assertThat(sim.tokenValidity(token)).isEqualTo(new TokenValidity(true, APPID, now.plusSeconds(20)));
        client.classicToken(APPID, SECRET);
        assertThat(sim.tokenValidity(token).expiresAt()).isEqualTo(now.plusSeconds(3));
    }
}
