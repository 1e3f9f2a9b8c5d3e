package dev.tokencenter.wechat;

import com.sun.net.httpserver.HttpServer;
import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TokenApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mini program client on real sockets: against a plain HTTP server that records the raw request and answers what
 * each test scripts (encoding, malformed answers, errors, timeouts), and against a simulator that sends countryCode
 * as a number.
 */
class WechatMiniProgramClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ==";

    static HttpServer upstream;
    static final AtomicReference<String> rawQuery = new AtomicReference<>();
    static final AtomicReference<String> contentType = new AtomicReference<>();
    static final AtomicReference<String> answer = new AtomicReference<>();
    static final AtomicInteger status = new AtomicInteger(200);
    static final CountDownLatch never = new CountDownLatch(1);
    static WechatMiniProgramClient client;
    static WechatMiniProgramClient impatient;

    @BeforeAll
    static void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            rawQuery.set(exchange.getRequestURI().getRawQuery());
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType.get());
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.createContext("/slow", exchange -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        upstream.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        upstream.start();
        URI base = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        client = new WechatMiniProgramClient(new WechatApiProperties(base, Duration.ofSeconds(2), Duration.ofSeconds(5),
                null), UpstreamTls.jdkTrustStore());
        impatient = new WechatMiniProgramClient(new WechatApiProperties(base.resolve("/slow"), Duration.ofSeconds(1),
                Duration.ofMillis(300), null), UpstreamTls.jdkTrustStore());
    }

    @AfterAll
    static void stop() {
        never.countDown();
        client.close();
        impatient.close();
        upstream.stop(0);
    }

    @BeforeEach
    void answerALogin() {
        status.set(200);
        contentType.set("text/plain");
        answer.set("{\"session_key\":\"" + SESSION_KEY + "\",\"openid\":\"o-user\"}");
    }

    @Test
    void theCodeReachesWechatExactlyAsGivenEncodedOnceAndTheTextPlainAnswerIsRead() {
        String code = "a+b/c=d%2Be f";

        UpstreamLoginSession session = client.jscode2session("wx0123", "s+cret/=", code).block(WAIT);

        assertThat(session.openid()).isEqualTo("o-user");
        assertThat(session.sessionKey()).isEqualTo(SESSION_KEY);
        assertThat(session.unionid()).isNull();
        assertThat(rawQuery.get()).contains("js_code=a%2Bb%2Fc%3Dd%252Be%20f")
                .contains("secret=s%2Bcret%2F%3D").contains("grant_type=authorization_code");
        String sent = rawQuery.get().replaceAll(".*js_code=([^&]*).*", "$1");
        assertThat(URLDecoder.decode(sent, StandardCharsets.UTF_8)).isEqualTo(code);
        assertThat(session.toString()).doesNotContain(SESSION_KEY);
    }

    @Test
    void unionidIsPassedOnWhenWechatAnswersOne() {
        answer.set("{\"session_key\":\"" + SESSION_KEY + "\",\"openid\":\"o-user\",\"unionid\":\"u-user\"}");
        assertThat(client.jscode2session("wx0123", "secret", "c").block(WAIT).unionid()).isEqualTo("u-user");
    }

    @Test
    void anAnswerWithoutOpenidOrWithASessionKeyThatIsNot16BytesIsMalformed() {
        for (String malformed : new String[] {
                "{\"session_key\":\"" + SESSION_KEY + "\"}",
                "{\"openid\":\"o\"}",
                "{\"openid\":\"o\",\"session_key\":\"dGlpaHROY3pmNXY2QUtSeXo=\"}",
                "{\"openid\":\"o\",\"session_key\":\"dGlpaHROY3pmNXY2QUtS\"}",
                "{\"openid\":\"o\",\"session_key\":\"tiihtNczf5v6AKRyjwEUh\"}",
                "{\"openid\":\"o\",\"session_key\":\"not base64 at all!!!!!!!\"}",
                "{\"openid\":\"o\",\"session_key\":12}",
                "not json", "[]", ""}) {
            answer.set(malformed);
            assertThatThrownBy(() -> client.jscode2session("wx0123", "secret", "code-x").block(WAIT))
                    .as(malformed)
                    .isInstanceOfSatisfying(MiniProgramCallException.class, failure -> {
                        assertThat(failure.failure()).isEqualTo(MiniProgramCallException.Failure.MALFORMED);
                        assertThat(failure.getMessage()).doesNotContain("code-x").doesNotContain("secret");
                    });
        }
    }

    @Test
    void anErrcodeKeepsItsNumberAndRidButNotTheErrmsg() {
        answer.set("{\"errcode\":40163,\"errmsg\":\"code been used, rid: 6745-abc\"}");
        assertThatThrownBy(() -> client.jscode2session("wx0123", "secret", "code-y").block(WAIT))
                .isInstanceOfSatisfying(MiniProgramCallException.class, failure -> {
                    assertThat(failure.failure()).isEqualTo(MiniProgramCallException.Failure.ERRCODE);
                    assertThat(failure.errcode()).isEqualTo(40163);
                    assertThat(failure.rid()).isEqualTo("6745-abc");
                    assertThat(failure.getMessage()).doesNotContain("been used").doesNotContain("code-y");
                });
        answer.set("{\"errcode\":40001,\"errmsg\":\"invalid credential\"}");
        assertThatThrownBy(() -> client.checkSession("token", "o", "sig").block(WAIT))
                .isInstanceOfSatisfying(MiniProgramCallException.class,
                        failure -> assertThat(failure.tokenRejected()).isTrue());
    }

    @Test
    void anHttpErrorAndNoAnswerInTimeAreTheirOwnFailures() {
        status.set(502);
        answer.set("Bad Gateway");
        assertThatThrownBy(() -> client.jscode2session("wx0123", "secret", "c").block(WAIT))
                .isInstanceOfSatisfying(MiniProgramCallException.class, failure -> {
                    assertThat(failure.failure()).isEqualTo(MiniProgramCallException.Failure.HTTP_STATUS);
                    assertThat(failure.httpStatus()).isEqualTo(502);
                });

        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.jscode2session("wx0123", "secret", "c").block(WAIT))
                .isInstanceOfSatisfying(MiniProgramCallException.class,
                        failure -> assertThat(failure.failure()).isEqualTo(MiniProgramCallException.Failure.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aCountryCodeSentAsANumberIsAnsweredAsAString() {
        try (WechatSimulator simulator = WechatSimulator.start(
                SimulatorSettings.defaults().withPhoneCountryCodeAsNumber(true), 0);
             WechatTokenClient tokens = new WechatTokenClient(properties(simulator),
                     new WecomApiProperties(URI.create(simulator.baseUrl())), UpstreamTls.jdkTrustStore());
             WechatMiniProgramClient miniProgram = new WechatMiniProgramClient(properties(simulator),
                     UpstreamTls.jdkTrustStore())) {
            String appid = "wx" + TokenApiFixture.hex(8);
            String secret = TokenApiFixture.hex(16);
            simulator.registerApp(appid, secret, Platform.WECHAT);
            String token = tokens.fetch(new UpstreamTokenRequest(TokenEndpoint.CLASSIC, appid, secret, false))
                    .block(WAIT).accessToken();
            String code = simulator.mintPhoneCode(appid, "+1 2025550123", "2025550123", "1");

            UpstreamPhoneNumber phone = miniProgram.phoneNumber(token, code, null).block(WAIT);

            assertThat(phone.countryCode()).isEqualTo("1");
            assertThat(phone.phoneNumber()).isEqualTo("+1 2025550123");
            assertThat(phone.purePhoneNumber()).isEqualTo("2025550123");
            assertThat(phone.watermarkAppid()).isEqualTo(appid);
            assertThat(phone.toString()).doesNotContain("2025550123");
        }
    }

    private static WechatApiProperties properties(WechatSimulator simulator) {
        return new WechatApiProperties(URI.create(simulator.baseUrl()), Duration.ofSeconds(2), Duration.ofSeconds(5), null);
    }
}
