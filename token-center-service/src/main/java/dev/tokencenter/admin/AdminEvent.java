package dev.tokencenter.admin;

import java.util.regex.Pattern;

/**
 * One entry of the admin event stream: what the UI hears live ({@code GET /admin/api/events}).
 *
 * @param id       the Redis stream id ({@code <millis>-<sequence>}), also the server-sent event's id
 * @param type     {@code refresh}, {@code credential}, {@code client} or {@code admin-user}
 * @param audience the lowest role that may see it
 * @param data     the event as JSON (snake_case); never a token, a secret or a key
 */
record AdminEvent(String id, String type, AdminRole audience, String data) {

    private static final Pattern ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

    /** Orders stream ids: negative when {@code a} comes before {@code b}. */
    static int compareIds(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int first = Long.compare(x[0], y[0]);
        return first != 0 ? first : Long.compare(x[1], y[1]);
    }

    /** Whether {@code id} has the shape of a stream id. */
    static boolean isId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return false;
        }
        long[] parsed = parse(id);
        return parsed[0] >= 0 && parsed[1] >= 0;
    }

    static long[] parse(String id) {
        int dash = id.indexOf('-');
        try {
            return new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return new long[] {-1, -1};
        }
    }
}
