package dev.tokencenter.refresh;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** This instance's name in the status ("refreshed by") and logs: configured, or host name plus a random suffix. */
@Component
class InstanceIdentity {

    private final String id;

    InstanceIdentity(RefreshProperties properties) {
        this.id = StringUtils.hasText(properties.instanceId()) ? properties.instanceId() : hostName() + "-" + suffix();
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "instance";
        }
    }

    private static String suffix() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
