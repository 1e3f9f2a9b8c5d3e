package dev.tokencenter.compat;

import java.nio.charset.StandardCharsets;

/**
 * Reads the plain form of a {@code POST /cgi-bin/stable_token} body without a JSON library, for the fast path: one
 * object whose members are among {@code grant_type}, {@code appid}, {@code secret} (strings of printable ASCII without
 * escapes, or null) and {@code force_refresh} (true, false or null), each at most once, with any JSON whitespace
 * between tokens. That is what SDKs send, and a JSON parser reads it the same way; anything else (escapes, other
 * members, numbers, repeated members, trailing text) gives null and is left to the handler's strict parser.
 */
final class StableTokenText {

    private final byte[] text;
    private int at;

    private StableTokenText(byte[] text) {
        this.text = text;
    }

    /** The body, or null when it is not in the plain form. */
    static StableTokenBody parse(byte[] text) {
        return new StableTokenText(text).body();
    }

    private StableTokenBody body() {
        String grantType = null;
        String appid = null;
        String secret = null;
        boolean force = false;
        int seen = 0;
        if (!skip('{')) {
            return null;
        }
        boolean first = true;
        while (!skip('}')) {
            if (!first && !skip(',')) {
                return null;
            }
            first = false;
            String name = string();
            if (name == null || !skip(':')) {
                return null;
            }
            int bit = switch (name) {
                case "grant_type" -> 1;
                case "appid" -> 2;
                case "secret" -> 4;
                case "force_refresh" -> 8;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            whitespace();
            if (bit == 8) {
                if (literal("true")) {
                    force = true;
                } else if (!literal("false") && !literal("null")) {
                    return null;
                }
                continue;
            }
            String value;
            if (literal("null")) {
                value = null;
            } else if ((value = string()) == null) {
                return null;
            }
            switch (bit) {
                case 1 -> grantType = value;
                case 2 -> appid = value;
                default -> secret = value;
            }
        }
        whitespace();
        return at == text.length ? new StableTokenBody(grantType, appid, secret, force) : null;
    }

    /** A string of printable ASCII without escapes, after optional whitespace; null otherwise. */
    private String string() {
        if (!skip('"')) {
            return null;
        }
        int start = at;
        while (at < text.length && text[at] != '"') {
            byte c = text[at];
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return null;
            }
            at++;
        }
        if (at == text.length) {
            return null;
        }
        return new String(text, start, at++ - start, StandardCharsets.US_ASCII);
    }

    private boolean literal(String word) {
        int end = at + word.length();
        if (end > text.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (text[at + i] != word.charAt(i)) {
                return false;
            }
        }
        at = end;
        return true;
    }

    private boolean skip(char c) {
        whitespace();
        if (at < text.length && text[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void whitespace() {
        while (at < text.length && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r')) {
            at++;
        }
    }
}
