package dev.tokencenter.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful stand-in for the WeChat (api.weixin.qq.com) and WeCom (qyapi.weixin.qq.com) server APIs on one
 * local HTTP port, plus a control surface (this class, and the same operations as JSON under {@code /__sim/}).
 *
 * <pre>{@code
 * try (WechatSimulator sim = WechatSimulator.start(SimulatorSettings.defaults().withTokenLifetime(Duration.ofSeconds(20)), 0)) {
 *     sim.registerApp("wx0123456789abcdef", "secret", Platform.WECHAT);
 *     // point the client at sim.baseUrl() instead of https://api.weixin.qq.com
 * }
 * }</pre>
 *
 * Thread-safe. All time logic runs on {@link #clock()}.
 */
public final class WechatSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WechatSimulator.class);
    public static final String LOOPBACK = "127.0.0.1";

    private final SimulatorSettings settings;
    private final SimulatorClock clock;
    private final SimulatorHttpServer server;
    private volatile SimulatorState state;

    private WechatSimulator(SimulatorSettings settings, SimulatorClock clock, String host, int port) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.state = SimulatorState.fresh(settings, clock);
        try {
            this.server = new SimulatorHttpServer(new InetSocketAddress(host, port), () -> state, new ControlApi(this));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the WeChat simulator on " + host + ":" + port, e);
        }
        log.info("WeChat simulator listening on http://{}:{} (WeChat + WeCom APIs, control API under {})",
                host, server.port(), ControlApi.PREFIX);
    }

    /** Starts on 127.0.0.1; {@code port} 0 picks a free port. */
    public static WechatSimulator start(SimulatorSettings settings, int port) {
        return start(settings, LOOPBACK, port);
    }

    /** Starts on {@code host} (e.g. {@code 0.0.0.0} inside a container); {@code port} 0 picks a free port. */
    public static WechatSimulator start(SimulatorSettings settings, String host, int port) {
        return start(settings, host, port, new SimulatorClock());
    }

    /** Starts with a clock of your own (e.g. one shared with the code under test). */
    public static WechatSimulator start(SimulatorSettings settings, String host, int port, SimulatorClock clock) {
        return new WechatSimulator(settings, clock, host, port);
    }

    /** WeChat's real settings on a free loopback port. */
    public static WechatSimulator start() {
        return start(SimulatorSettings.defaults(), 0);
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT}: use it in place of both https://api.weixin.qq.com and https://qyapi.weixin.qq.com. */
    public String baseUrl() {
        return "http://" + LOOPBACK + ":" + port();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public SimulatorClock clock() {
        return clock;
    }

    // ---- applications -------------------------------------------------------------------------------------

    /**
     * Registers an app. WECHAT: appid + AppSecret (registering again replaces the secret). WECOM: appid = corp
     * id ({@code ww} + 16 hex), secret = one app's corpsecret; register the same corp again to add another
     * app's secret, each with its own token.
     */
    public void registerApp(String appid, String secret, Platform platform) {
        state.apps().register(appid, secret, platform);
    }

    /** Resets the secret: fetches with the old one fail from now on (tokens already issued stay valid). */
    public void changeSecret(String appid, String newSecret) {
        state.apps().changeSecret(appid, newSecret);
    }

    /** Replaces one of a WeCom corp's secrets, keeping its other apps' secrets. */
    public void changeSecret(String appid, String oldSecret, String newSecret) {
        state.apps().changeSecret(appid, oldSecret, newSecret);
    }

    // ---- faults --------------------------------------------------------------------------------------------

    public void injectFault(Fault fault) {
        state.faults().add(Objects.requireNonNull(fault, "fault"));
    }

    public void clearFaults() {
        state.faults().clear();
    }

    /** How many exchanges {@link Fault#hang} faults are holding right now. */
    public int hungExchanges() {
        return server.hungExchanges();
    }

    // ---- tokens --------------------------------------------------------------------------------------------

    /**
     * WeChat kills this token early: its next use answers 40001 (WeChat) or 40014 (WeCom), and a WeCom
     * gettoken issues a new one. Returns whether the token was known.
     */
    public boolean invalidateToken(String accessToken) {
        return state.tokens().invalidate(accessToken);
    }

    public TokenValidity tokenValidity(String accessToken) {
        return state.tokens().validity(accessToken);
    }

    /** What the simulator knows about a JS-SDK / card ticket it issued (WeChat or WeCom). */
    public TicketValidity ticketValidity(String ticket) {
        return state.tickets().validity(ticket);
    }

    /** How many distinct new tokens were issued for this appid / corp id (returning the same token does not count). */
    public long tokensIssued(String appid) {
        return state.tokens().issuedCount(appid);
    }

    // ---- mini program users --------------------------------------------------------------------------------

    /**
     * A user logs in ({@code wx.login()}): returns a single-use code (valid {@code codeLifetime}) and the new
     * session_key. It replaces the user's previous session_key at once (a user has one valid session_key at a
     * time): the old one no longer passes {@code checksession} or {@link #encryptForSession}, and exchanging any
     * of the user's codes yields the newest. {@code unionid} may be {@code null}: the answer then has none.
     */
    public LoginCode mintLoginCode(String appid, String openid, String unionid) {
        requireApp(appid);
        requireText(openid, "openid");
        return state.codes().mintLogin(appid, openid, unionid);
    }

    /** The user's current session_key (the one the latest login made), if the user has logged in. */
    public Optional<String> currentSessionKey(String appid, String openid) {
        return state.codes().currentSessionKey(appid, openid);
    }

    /** WeChat's risk control flags the user: their {@code jscode2session} calls answer 40226 until cleared. */
    public void markHighRiskUser(String appid, String openid) {
        requireApp(appid);
        requireText(openid, "openid");
        state.highRiskUsers().mark(appid, openid);
    }

    /** Lifts the flag; returns whether the user was flagged. */
    public boolean clearHighRiskUser(String appid, String openid) {
        return state.highRiskUsers().clear(appid, openid);
    }

    /**
     * A user agrees to share a phone number: returns the single-use code for {@code getuserphonenumber}.
     *
     * @param phoneNumber     with country code for foreign numbers, e.g. {@code 13800138000} or {@code +1 2025550123}
     * @param purePhoneNumber without country code, e.g. {@code 13800138000}
     * @param countryCode     digits only, e.g. {@code 86}
     */
    public String mintPhoneCode(String appid, String phoneNumber, String purePhoneNumber, String countryCode) {
        requireApp(appid);
        requireText(phoneNumber, "phoneNumber");
        requireText(purePhoneNumber, "purePhoneNumber");
        return state.codes().mintPhone(appid, phoneNumber, purePhoneNumber, countryCode);
    }

    /**
     * Encrypts {@code payload} the way WeChat produces encryptedData for the mini program: the payload's JSON plus
     * {@code watermark:{timestamp, appid}} (unless the payload brings its own), AES-128-CBC, PKCS#7, key =
     * base64-decode(sessionKey), random 16-byte iv. {@code sessionKey} must be the current session_key of a user
     * of {@code appid}: WeChat never encrypts with a replaced one.
     */
    public EncryptedPayload encryptForSession(String appid, String sessionKey, Map<String, ?> payload) {
        requireText(appid, "appid");
        requireText(sessionKey, "sessionKey");
        state.codes().requireCurrentSessionKey(appid, sessionKey);
        return SessionCrypto.encryptWithWatermark(sessionKey, appid, clock.now().getEpochSecond(), payload);
    }

    /** {@link #encryptForSession} with the user's current session_key. */
    public EncryptedPayload encryptForUser(String appid, String openid, Map<String, ?> payload) {
        String sessionKey = currentSessionKey(appid, openid).orElseThrow(() ->
                new IllegalArgumentException("user " + openid + " of " + appid + " has not logged in"));
        return encryptForSession(appid, sessionKey, payload);
    }

    /**
     * The login-state signature {@code /wxa/checksession} expects: lowercase hex HMAC-SHA256 of the empty
     * string keyed with the session_key's base64 text as UTF-8 bytes (see the reasoning in the simulator's README).
     */
    public static String sessionSignature(String sessionKey) {
        return SessionCrypto.loginStateSignature(sessionKey, "");
    }

    // ---- counters ------------------------------------------------------------------------------------------

    /** Calls of {@code endpoint} (a path) for {@code appid}, failed and faulted ones included. */
    public long callCount(String appid, String endpoint) {
        return state.counters().count(appid, endpoint);
    }

    /** appid -> endpoint -> calls (appid {@code "unknown"} for calls that named none). */
    public Map<String, Map<String, Long>> callCounts() {
        return state.counters().snapshot();
    }

    public void resetCounters() {
        state.counters().clear();
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /** Forgets apps, tokens, tickets, codes, sessions, faults, counters and quotas (the clock keeps its time). */
    public void reset() {
        state = SimulatorState.fresh(settings, clock);
    }

    /** Stops the server and drops hung exchanges. */
    @Override
    public void close() {
        server.close();
        log.info("WeChat simulator on port {} stopped", port());
    }

    private void requireApp(String appid) {
        state.apps().require(appid);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
