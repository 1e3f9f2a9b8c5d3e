package dev.tokencenter.security;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address ranges and the choice of the client address among the socket's peer and X-Forwarded-For. */
class ClientAddressTest {

    @Test
    void rangesMatchByPrefix() {
        assertThat(IpRange.parse("10.0.0.0/8").contains(IpAddresses.parse("10.200.3.4"))).isTrue();
        assertThat(IpRange.parse("10.0.0.0/8").contains(IpAddresses.parse("11.0.0.1"))).isFalse();
        assertThat(IpRange.parse("192.168.1.128/25").contains(IpAddresses.parse("192.168.1.200"))).isTrue();
        assertThat(IpRange.parse("192.168.1.128/25").contains(IpAddresses.parse("192.168.1.100"))).isFalse();
        assertThat(IpRange.parse("127.0.0.1").contains(IpAddresses.parse("127.0.0.1"))).isTrue();
        assertThat(IpRange.parse("fd00::/8").contains(IpAddresses.parse("fd12:3456::1"))).isTrue();
        assertThat(IpRange.parse("fd00::/8").contains(IpAddresses.parse("10.0.0.1"))).isFalse();
    }

    @Test
    void onlyLiteralsAreAddressesAndBadSettingsAreRefused() {
        assertThat(IpAddresses.parse("localhost")).isNull();
        assertThat(IpAddresses.parse("abc")).isNull();
        assertThat(IpAddresses.parse("256.1.1.1")).isNull();
        assertThat(IpAddresses.parse("[::1]")).isNotNull();
        assertThatThrownBy(() -> new ClientAddressProperties(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> new ClientAddressProperties(List.of("proxy.internal"))).hasMessageContaining("proxy.internal");
    }

    @Test
    void forwardedForCountsOnlyFromATrustedPeerAndOnlyItsRightmostUntrustedHop() {
        ClientAddressResolver untrusting = new ClientAddressResolver(new ClientAddressProperties(List.of()));
        ClientAddressResolver behindProxies = new ClientAddressResolver(
                new ClientAddressProperties(List.of("10.0.0.0/8", "192.168.0.1")));

        assertThat(untrusting.resolve(request("10.1.1.1", "203.0.113.7"))).isEqualTo("10.1.1.1");
        assertThat(behindProxies.resolve(request("10.1.1.1", "203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(behindProxies.resolve(request("10.1.1.1", "198.51.100.1, 203.0.113.7, 192.168.0.1")))
                .isEqualTo("203.0.113.7");
        assertThat(behindProxies.resolve(request("10.1.1.1", "203.0.113.7, not-an-address"))).isEqualTo("10.1.1.1");
        assertThat(behindProxies.resolve(request("10.1.1.1", null))).isEqualTo("10.1.1.1");
        assertThat(behindProxies.resolve(request("172.16.0.9", "203.0.113.7"))).isEqualTo("172.16.0.9");
    }

    private static MockServerHttpRequest request(String peer, String forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.get("/admin/api/me")
                .remoteAddress(new InetSocketAddress(IpAddresses.parse(peer), 40000));
        if (forwardedFor != null) {
            builder.header("X-Forwarded-For", forwardedFor);
        }
        return builder.build();
    }
}
