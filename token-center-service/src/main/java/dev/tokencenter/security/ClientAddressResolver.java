package dev.tokencenter.security;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client address of a request: the socket's remote address, or, when that is a trusted proxy, the right-most
 * {@code X-Forwarded-For} hop that is not a trusted proxy (the hops to its left were written by whoever the proxy
 * talked to, so they prove nothing).
 */
@Component
class ClientAddressResolver {

    static final String UNKNOWN = "unknown";

    private final List<IpRange> trustedProxies;

    ClientAddressResolver(ClientAddressProperties properties) {
        this.trustedProxies = properties.trustedProxies().stream().map(IpRange::parse).toList();
    }

    String resolve(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return UNKNOWN;
        }
        if (!trusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String header : request.getHeaders().getOrEmpty("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = IpAddresses.parse(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean trusted(InetAddress address) {
        for (IpRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
