package dev.tokencenter.wechat;

import com.sun.net.httpserver.HttpServer;
import dev.tokencenter.simulator.Fault;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token and ticket calls against the simulator over real HTTP: every mode gets its token with secrets that need
 * percent-encoding, and each way a call can fail becomes the exception the refresh policy reads, never naming the
 * secret.
 */
class UpstreamCallsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Characters a query string must encode, a space, and some that are not ASCII. */
    private static final String AWKWARD_SECRET = "a+b/c d&e=f%g?h#i~j-k.l_m é中";

    static WechatSimulator simulator;
    static WechatTokenClient tokens;
    static WechatTicketClient tickets;

    @BeforeAll
    static void start() {
        simulator = WechatSimulator.start(SimulatorSettings.defaults(), 0);
        URI base = URI.create(simulator.baseUrl() + "/");
        WechatApiProperties wechat = new WechatApiProperties(base, Duration.ofSeconds(2), Duration.ofSeconds(2), null);
        WecomApiProperties wecom = new WecomApiProperties(base);
        tokens = new WechatTokenClient(wechat, wecom, UpstreamTls.jdkTrustStore());
        tickets = new WechatTicketClient(wechat, wecom, UpstreamTls.jdkTrustStore());
    }

    @AfterAll
    static void stop() {
        tokens.close();
        tickets.close();
        simulator.close();
    }

    @AfterEach
    void clearFaults() {
        simulator.clearFaults();
    }

    @Test
    void everyModeGetsItsTokenWithASecretThatNeedsEncoding() {
        String classic = "wxc1a551c000000001";
        String stable = "wx57ab1e0000000001";
        String corp = "wwc0c0c0c000000001";
        simulator.registerApp(classic, AWKWARD_SECRET, Platform.WECHAT);
        simulator.registerApp(stable, AWKWARD_SECRET, Platform.WECHAT);
        simulator.registerApp(corp, AWKWARD_SECRET, Platform.WECOM);

        for (var call : new Object[][]{{TokenEndpoint.CLASSIC, classic}, {TokenEndpoint.STABLE, stable},
                {TokenEndpoint.WECOM, corp}}) {
            TokenEndpoint endpoint = (TokenEndpoint) call[0];
            String appid = (String) call[1];
            UpstreamToken token = tokens.fetch(new UpstreamTokenRequest(endpoint, appid, AWKWARD_SECRET, false)).block(WAIT);

            assertThat(token).as(endpoint.name()).isNotNull();
            assertThat(simulator.tokenValidity(token.accessToken()).valid()).as(endpoint.name()).isTrue();
            assertThat(token.expiresIn()).as(endpoint.name()).isPositive();
            assertThat(simulator.callCount(appid, endpoint.path())).as(endpoint.name()).isEqualTo(1);
        }
    }

    @Test
    void aTicketIsFetchedWithTheToken() {
        String appid = "wx71c7e70000000001";
        simulator.registerApp(appid, "s3cret", Platform.WECHAT);
        String token = tokens.fetch(new UpstreamTokenRequest(TokenEndpoint.CLASSIC, appid, "s3cret", false)).block(WAIT)
                .accessToken();

        UpstreamTicket ticket = tickets.fetch(TicketEndpoint.JSAPI, token).block(WAIT);

        assertThat(ticket).isNotNull();
        assertThat(simulator.ticketValidity(ticket.ticket()).valid()).isTrue();
        assertThat(simulator.ticketValidity(ticket.ticket()).type()).isEqualTo("jsapi");
    }

    @Test
    void anErrcodeAnHttpErrorAndASilenceEachBecomeTheirOwnFailure() {
        String appid = "wxfa11ed0000000001";
        String secret = "the-secret-" + System.nanoTime();
        simulator.registerApp(appid, secret, Platform.WECHAT);
        UpstreamTokenRequest request = new UpstreamTokenRequest(TokenEndpoint.CLASSIC, appid, secret, false);

        simulator.injectFault(Fault.errcode(TokenEndpoint.CLASSIC.path(), appid, 40164, 1));
        assertThatThrownBy(() -> tokens.fetch(request).block(WAIT))
                .isInstanceOfSatisfying(WechatErrorException.class, e -> assertThat(e.errcode()).isEqualTo(40164))
                .hasMessageNotContaining(secret);

        simulator.injectFault(Fault.httpStatus(TokenEndpoint.CLASSIC.path(), appid, 503, 1));
        assertThatThrownBy(() -> tokens.fetch(request).block(WAIT))
                .isInstanceOfSatisfying(UpstreamHttpException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageNotContaining(secret);

        simulator.injectFault(Fault.hang(TokenEndpoint.CLASSIC.path(), appid, 1));
        long started = System.nanoTime();
        assertThatThrownBy(() -> tokens.fetch(request).block(WAIT))
                .isInstanceOf(UpstreamTimeoutException.class)
                .hasMessageNotContaining(secret);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThanOrEqualTo(tokens.deadline().plusSeconds(1));

        assertThat(tokens.fetch(request).block(WAIT).accessToken()).isNotBlank();
    }

    @Test
    void anAnswerThatIsNoJsonObjectIsATransportFailure() {
        assertThatThrownBy(() -> WechatTokenClient.parse(TokenEndpoint.CLASSIC, "<html>busy</html>".getBytes()))
                .isInstanceOf(UpstreamTransportException.class);
        assertThatThrownBy(() -> WechatTokenClient.parse(TokenEndpoint.CLASSIC, "[1]".getBytes()))
                .isInstanceOf(UpstreamTransportException.class);
        assertThatThrownBy(() -> WechatTokenClient.parse(TokenEndpoint.CLASSIC, "{\"expires_in\":7200}".getBytes()))
                .isInstanceOf(UpstreamTransportException.class);
    }

    @Test
    void anEndlessAnswerIsCutOffAndFailsTheCall() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] huge = ("{\"access_token\":\"" + "x".repeat(UpstreamHttp.MOST_BODY_BYTES) + "\",\"expires_in\":7200}")
                .getBytes(StandardCharsets.US_ASCII);
        server.createContext("/cgi-bin/token", exchange -> {
            exchange.sendResponseHeaders(200, huge.length);
            try (var body = exchange.getResponseBody()) {
                body.write(huge);
            } catch (IOException cutOff) {
                // the client stops reading
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        WechatApiProperties api = new WechatApiProperties(base, Duration.ofSeconds(2), Duration.ofSeconds(2), null);
        try (WechatTokenClient client = new WechatTokenClient(api, new WecomApiProperties(base), UpstreamTls.jdkTrustStore())) {
            assertThatThrownBy(() -> client.fetch(new UpstreamTokenRequest(TokenEndpoint.CLASSIC, "wx0000000000000001",
                    "secret-of-the-test", false)).block(WAIT))
                    .isInstanceOf(UpstreamTransportException.class)
                    .hasMessageContaining("AnswerTooLarge")
                    .hasMessageNotContaining("secret-of-the-test");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void urlsKeepOnlyUnreservedCharactersAsTheyAre() {
        assertThat(UpstreamHttp.url(URI.create("https://api.example/"), "/cgi-bin/token", "secret", "a+b/c d&e=é", "x", "1"))
                .isEqualTo("https://api.example/cgi-bin/token?secret=a%2Bb%2Fc%20d%26e%3D%C3%A9&x=1");
        assertThat(UpstreamHttp.url(URI.create("http://127.0.0.1:81"), "/cgi-bin/stable_token"))
                .isEqualTo("http://127.0.0.1:81/cgi-bin/stable_token");
        assertThatThrownBy(() -> UpstreamHttp.url(URI.create("http://h"), "/p", "lonely"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
