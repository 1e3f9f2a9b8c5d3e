package dev.tokencenter.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Where the address of an admin request's client comes from (login throttling and the audit of refused requests).
 *
 * @param trustedProxies addresses or CIDR blocks of reverse proxies in front of the service. Empty (the default):
 *                       the socket's remote address, and {@code X-Forwarded-For} is ignored, since any client can
 *                       send it. When the socket's peer is listed, the address is the right-most
 *                       {@code X-Forwarded-For} entry that is not itself a listed proxy.
 */
@Validated
@ConfigurationProperties("token-center.security.client-address")
public record ClientAddressProperties(List<String> trustedProxies) {

    public ClientAddressProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        trustedProxies.forEach(IpRange::parse);
    }
}
