package dev.tokencenter.simulator;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts a simulator with compressed lifetimes and a frozen clock per test. */
abstract class SimulatorTestBase {

    static final String APPID = "wx0123456789abcdef";
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String OTHER_APPID = "wxfedcba9876543210";
    static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";
    static final String CORPID = "ww0123456789abcdef";
    static final String CORPSECRET = "corp-secret-app-1";

    WechatSimulator sim;
    SimClient client;

    /** Test-friendly settings: lifetimes in seconds, small limits. */
    SimulatorSettings settings() {
        return SimulatorSettings.defaults()
                .withTokenLifetime(Duration.ofSeconds(20))
                .withClassicGracePeriod(Duration.ofSeconds(3))
                .withStableRotationWindow(Duration.ofSeconds(5))
                .withClassicDailyQuota(2000)
                .withStableDailyQuota(500_000)
                .withForceRefreshDailyLimit(20)
                .withForceRefreshMinInterval(Duration.ofSeconds(30))
                .withCodeLifetime(Duration.ofMinutes(5))
                .withTicketLifetime(Duration.ofSeconds(20));
    }

    @BeforeEach
    void startSimulator() {
        sim = WechatSimulator.start(settings(), 0);
        sim.clock().freeze();
        if (sim.clock().untilNextQuotaDay().compareTo(Duration.ofHours(2)) < 0) {
            advanceToNextQuotaDay(); // keep tests that move the clock by minutes away from the quota-day edge
        }
        sim.registerApp(APPID, SECRET, Platform.WECHAT);
        sim.registerApp(OTHER_APPID, OTHER_SECRET, Platform.WECHAT);
        client = new SimClient(sim.baseUrl());
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    /** Replaces the simulator with one on {@code changed} settings (same frozen-clock set-up and apps). */
    void restartWith(SimulatorSettings changed) {
        sim.close();
        sim = WechatSimulator.start(changed, 0);
        sim.clock().freeze();
        sim.registerApp(APPID, SECRET, Platform.WECHAT);
        sim.registerApp(OTHER_APPID, OTHER_SECRET, Platform.WECHAT);
        client = new SimClient(sim.baseUrl());
    }

    /** A valid stable token of {@code appid}. */
    String stableToken(String appid, String secret) {
        return client.stableToken(appid, secret, false).string("access_token");
    }

    /** Matches WeChat's request id suffix, e.g. {@code " rid: 6552e3da-6397437b-3f0d4f01"}. */
    static final String RID_SUFFIX = ".* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

    void advance(long seconds) {
        sim.clock().advance(Duration.ofSeconds(seconds));
    }

    /** Jumps just past the next quota-day boundary (midnight UTC+8). */
    void advanceToNextQuotaDay() {
        sim.clock().advance(sim.clock().untilNextQuotaDay().plusSeconds(1));
    }
}
