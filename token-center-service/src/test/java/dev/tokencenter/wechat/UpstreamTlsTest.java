package dev.tokencenter.wechat;

import dev.tokencenter.simulator.Platform;
import dev.tokencenter.simulator.SimulatorSettings;
import dev.tokencenter.simulator.WechatSimulator;
import dev.tokencenter.support.TestCertificates;
import dev.tokencenter.support.TestCertificates.Authority;
import dev.tokencenter.support.TlsFrontDoor;
import dev.tokencenter.support.TokenApiFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Calls to WeChat over real TLS on loopback: a server whose certificate comes from a CA no trust store knows is
 * refused before any request leaves (so the secret never does), unless that very CA is configured; another CA does
 * not help, and neither does the right CA for a certificate issued to another host name.
 */
class UpstreamTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    static WechatSimulator simulator;
    static Authority upstreamCa;
    static Authority otherCa;
    /** upstreamCa's certificate for localhost */
    static TlsFrontDoor upstream;
    /** upstreamCa's certificate for another host name, served on localhost */
    static TlsFrontDoor misnamed;
    static String appid;
    static String secret;

    @BeforeAll
    static void start() {
        simulator = WechatSimulator.start(SimulatorSettings.defaults(), 0);
        appid = "wx" + TokenApiFixture.hex(8);
        secret = TokenApiFixture.hex(16);
        simulator.registerApp(appid, secret, Platform.WECHAT);
        upstreamCa = TestCertificates.authority("Upstream Test CA");
        otherCa = TestCertificates.authority("Other Test CA");
        upstream = TlsFrontDoor.start(upstreamCa.issue("localhost"), simulator.baseUrl());
        misnamed = TlsFrontDoor.start(upstreamCa.issue("api.weixin.invalid"), simulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        upstream.close();
        misnamed.close();
        simulator.close();
    }

    @Test
    void theJdkTrustStoreRefusesAServerSignedByAnUnknownCa() {
        try (WechatTokenClient client = client(upstream, UpstreamTls.jdkTrustStore())) {
            assertRefused(client, upstream);
        }
    }

    @Test
    void theConfiguredCaIsTrustedForUpstreamCalls() {
        int before = upstream.requests();
        try (WechatTokenClient client = client(upstream, trusting(upstreamCa))) {
            UpstreamToken token = client.fetch(request()).block(WAIT);

            assertThat(token).isNotNull();
            assertThat(token.accessToken()).isNotBlank();
            assertThat(token.expiresIn()).isPositive();
            assertThat(upstream.requests()).isEqualTo(before + 1);
            assertThat(simulator.callCount(appid, TokenEndpoint.STABLE.path())).isPositive();
        }
    }

    @Test
    void aConfiguredCaThatDidNotSignTheServerDoesNotHelp() {
        try (WechatTokenClient client = client(upstream, trusting(otherCa))) {
            assertRefused(client, upstream);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefusedEvenFromTheConfiguredCa() {
        try (WechatTokenClient client = client(misnamed, trusting(upstreamCa))) {
            assertRefused(client, misnamed);
        }
    }

    @Test
    void tokenChecksUseTheSameTrust() {
        String token;
        try (WechatTokenClient client = client(upstream, trusting(upstreamCa))) {
            token = client.fetch(request()).block(WAIT).accessToken();
        }
        int before = upstream.requests();

        assertThat(checker(upstream, UpstreamTls.jdkTrustStore()).check(TokenEndpoint.STABLE, token).block(WAIT))
                .isEqualTo(TokenCheck.UNKNOWN);
        assertThat(checker(misnamed, trusting(upstreamCa)).check(TokenEndpoint.STABLE, token).block(WAIT))
                .isEqualTo(TokenCheck.UNKNOWN);
        assertThat(upstream.requests() + misnamed.requests()).isEqualTo(before);
        assertThat(checker(upstream, trusting(upstreamCa)).check(TokenEndpoint.STABLE, token).block(WAIT))
                .isEqualTo(TokenCheck.VALID);
    }

    @Test
    void aBundleWithoutTruststoreIsRefusedAtStartup() {
        SslBundle keyOnly = SslBundle.of(SslStoreBundle.NONE);

        assertThatThrownBy(() -> UpstreamTls.trusting("upstream", keyOnly))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.ssl.bundle.pem.upstream.truststore.certificate");
    }

    private static void assertRefused(WechatTokenClient client, TlsFrontDoor server) {
        int before = server.requests();
        assertThatThrownBy(() -> client.fetch(request()).block(WAIT))
                .isInstanceOf(UpstreamTransportException.class)
                .hasMessageContaining("TLS handshake failed")
                .hasMessageNotContaining(secret);
        assertThat(server.requests()).as("requests that got past the handshake").isEqualTo(before);
    }

    private static UpstreamTokenRequest request() {
        return new UpstreamTokenRequest(TokenEndpoint.STABLE, appid, secret, false);
    }

    private static SslBundle trusting(Authority authority) {
        return SslBundle.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificates(authority.pem())));
    }

    private static WechatTokenClient client(TlsFrontDoor server, UpstreamTls tls) {
        return new WechatTokenClient(wechatApi(server), new WecomApiProperties(URI.create(server.baseUrl("localhost"))), tls);
    }

    private static WechatTokenClient client(TlsFrontDoor server, SslBundle bundle) {
        return client(server, UpstreamTls.trusting("upstream", bundle));
    }

    private static WechatTokenChecker checker(TlsFrontDoor server, UpstreamTls tls) {
        return new WechatTokenChecker(wechatApi(server), new WecomApiProperties(URI.create(server.baseUrl("localhost"))), tls);
    }

    private static WechatTokenChecker checker(TlsFrontDoor server, SslBundle bundle) {
        return checker(server, UpstreamTls.trusting("upstream", bundle));
    }

    private static WechatApiProperties wechatApi(TlsFrontDoor server) {
        return new WechatApiProperties(URI.create(server.baseUrl("localhost")), Duration.ofSeconds(1),
                Duration.ofSeconds(2), null);
    }
}
