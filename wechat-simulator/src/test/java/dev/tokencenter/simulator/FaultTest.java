package dev.tokencenter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest extends SimulatorTestBase {

    @Test
    void errcodeFaultAnswersNTimesThenNormally() {
        sim.injectFault(Fault.errcode("/cgi-bin/stable_token", APPID, 40125, 2));

        SimClient.Reply first = client.stableToken(APPID, SECRET, false);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.errcode()).isEqualTo(40125);
        assertThat(first.string("errmsg")).startsWith("invalid appsecret rid: ");
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isEqualTo(40125);
        assertThat(client.stableToken(APPID, SECRET, false).string("access_token")).isNotBlank();
        assertThat(sim.callCount(APPID, "/cgi-bin/stable_token")).as("faulted calls count").isEqualTo(3);
        assertThat(sim.tokensIssued(APPID)).isEqualTo(1);
    }

    @Test
    void faultsMatchEndpointAndAppid() {
        sim.injectFault(Fault.errcode("/cgi-bin/token", OTHER_APPID, -1, "system error", 1));
        sim.injectFault(Fault.errcode("/cgi-bin/stable_token", null, 45009, 1));

        assertThat(client.classicToken(APPID, SECRET).errcode()).isZero();
        SimClient.Reply busy = client.classicToken(OTHER_APPID, OTHER_SECRET);
        assertThat(busy.errcode()).isEqualTo(-1);
        assertThat(busy.string("errmsg")).as("a message of one's own gets a rid too").startsWith("system error rid: ");
        assertThat(client.stableToken(OTHER_APPID, OTHER_SECRET, false).errcode()).isEqualTo(45009);
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).isZero();
    }

    @Test
    void faultsMatchTheAppOwningTheAccessTokenAndTheWildcardEndpoint() {
        String token = client.stableToken(APPID, SECRET, false).string("access_token");
        sim.injectFault(Fault.errcode(Fault.ANY_ENDPOINT, APPID, 40001, 1));
        assertThat(client.ticket(token).errcode()).isEqualTo(40001);
        assertThat(client.ticket(token).errcode()).isZero();
    }

    @Test
    void latencyFaultDelaysThenAnswersNormally() {
        sim.injectFault(Fault.latency("/cgi-bin/token", APPID, Duration.ofMillis(400), 1));
        long start = System.nanoTime();
        SimClient.Reply slow = client.classicToken(APPID, SECRET);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(slow.string("access_token")).isNotBlank();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(400);
        start = System.nanoTime();
        client.classicToken(APPID, SECRET);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(400);
    }

    @Test
    void hangFaultNeverAnswersUntilTheClientGivesUp() throws Exception {
        sim.injectFault(Fault.hang("/cgi-bin/stable_token", null, 1));
        assertThatThrownBy(() -> client.getWithTimeout(Duration.ofMillis(300), "/cgi-bin/stable_token"))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sim.hungExchanges()).isEqualTo(1);
        assertThat(client.stableToken(APPID, SECRET, false).errcode()).as("the hang was consumed").isZero();
        assertThat(sim.callCount(CallCounters.UNKNOWN_APPID, "/cgi-bin/stable_token")).isEqualTo(1);
    }

    @Test
    void hungExchangesAreDroppedWhenTheHangDurationPasses() throws Exception {
        sim.close();
        sim = WechatSimulator.start(settings().withHangDuration(Duration.ofMillis(200)), 0);
        sim.registerApp(APPID, SECRET, Platform.WECHAT);
        client = new SimClient(sim.baseUrl());
        sim.injectFault(Fault.hang("/cgi-bin/stable_token", APPID, 1));
        // POST: java.net.http would silently retry an idempotent GET on the dropped connection
        assertThatThrownBy(() -> client.postWithTimeout(Duration.ofSeconds(5), "/cgi-bin/stable_token",
                java.util.Map.of("grant_type", "client_credential", "appid", APPID, "secret", SECRET)))
                .isInstanceOf(java.io.IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
        assertThat(sim.hungExchanges()).isZero();
        assertThat(sim.callCount(APPID, "/cgi-bin/stable_token")).isEqualTo(1);
    }

    @Test
    void httpStatusFaultAnswersAPlain5xx() {
        sim.injectFault(Fault.httpStatus("/cgi-bin/token", APPID, 502, 1));
        SimClient.Reply reply = client.classicToken(APPID, SECRET);
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.text()).isEqualTo("Bad Gateway");
        assertThat(client.classicToken(APPID, SECRET).status()).isEqualTo(200);
    }

    @Test
    void clearFaultsDisarmsEverything() {
        sim.injectFault(Fault.httpStatus("/cgi-bin/token", null, 503, 5));
        sim.clearFaults();
        assertThat(client.classicToken(APPID, SECRET).status()).isEqualTo(200);
    }

    @Test
    void faultsAreValidated() {
        assertThatThrownBy(() -> Fault.errcode("/cgi-bin/token", null, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.hang("cgi-bin/token", null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.httpStatus("/cgi-bin/token", null, 200, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.latency("/cgi-bin/token", null, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
