package dev.tokencenter.edge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request target's query the way WebFlux does ({@code ServerHttpRequest.getQueryParams().getFirst(name)}:
 * pairs split on {@code &} and the first {@code =}, names and values URL-decoded as UTF-8), without building the
 * whole map: for the route that answers before WebFlux has seen the request.
 */
final class QueryParameters {

    /** Printable ASCII that {@link java.net.URI} accepts in a query as it is ({@code %} is checked on its own). */
    private static final boolean[] PLAIN = new boolean[0x80];

    static {
        for (char c = '!'; c < 0x7f; c++) {
            PLAIN[c] = "\"#<>[\\]^`{|}".indexOf(c) < 0;
        }
    }

    private QueryParameters() {
    }

    /**
     * Whether {@code target} from {@code from} on is a query that {@link java.net.URI} accepts, as WebFlux needs to
     * (it answers 400 to a request target it cannot parse): here, a conservative subset of what it accepts (printable
     * ASCII but for {@code "#<>[\]^`{|}}, and {@code %} only before two hex digits); anything else is left to WebFlux.
     */
    static boolean plain(String target, int from) {
        for (int i = from; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || !hex(target.charAt(i + 1)) || !hex(target.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 0x80 || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first value of each of {@code names} in the query of {@code target} from {@code from} on (which must be
     * {@link #plain}), as WebFlux gives it: null when the name is absent or has no {@code =}, "" when nothing follows
     * it. Null (instead of the values) for a query with a pair that starts with {@code =}, which WebFlux reads in a
     * way not worth repeating here.
     */
    static String[] first(String target, int from, String... names) {
        String[] values = new String[names.length];
        int found = 0;
        int end = target.length();
        for (int at = from; at < end; ) {
            int pairEnd = target.indexOf('&', at);
            if (pairEnd < 0) {
                pairEnd = end;
            }
            if (pairEnd > at) {
                if (target.charAt(at) == '=') {
                    return null;
                }
                int equals = target.indexOf('=', at);
                int nameEnd = equals < 0 || equals > pairEnd ? pairEnd : equals;
                for (int i = 0; i < names.length; i++) {
                    if ((found & 1 << i) == 0 && named(target, at, nameEnd, names[i])) {
                        found |= 1 << i;
                        values[i] = nameEnd == pairEnd ? null : decode(target.substring(nameEnd + 1, pairEnd));
                    }
                }
            }
            at = pairEnd + 1;
        }
        return values;
    }

    private static boolean named(String target, int from, int to, String name) {
        if (!encoded(target, from, to)) {
            return to - from == name.length() && target.startsWith(name, from);
        }
        return decode(target.substring(from, to)).equals(name);
    }

    private static boolean encoded(String target, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = target.charAt(i);
            if (c == '%' || c == '+') {
                return true;
            }
        }
        return false;
    }

    /** As WebFlux decodes a query parameter: the raw text when it cannot be decoded. */
    private static String decode(String raw) {
        if (!encoded(raw, 0, raw.length())) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
