package dev.tokencenter.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literals, parsed without ever asking DNS (a header value is never a host name to resolve). */
final class IpAddresses {

    private IpAddresses() {
    }

    /** The address a literal names, or null for anything that is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String literal) {
        if (literal == null) {
            return null;
        }
        String value = literal.trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > 45) {
            return null;
        }
        if (value.indexOf(':') < 0 ? !isIpv4(value) : !isIpv6Shaped(value)) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpv4(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Shaped(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
