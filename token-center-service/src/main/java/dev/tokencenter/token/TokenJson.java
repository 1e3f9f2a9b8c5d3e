package dev.tokencenter.token;

import dev.tokencenter.registry.CredentialKey;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Writes token responses straight to bytes: the hot path's body has seven fields of known types, so a JSON mapper
 * (reflection, generator, buffer recycling) is more work than the request itself.
 */
public final class TokenJson {

    private TokenJson() {
    }

    static byte[] token(IssuedToken token, long expiresIn) {
        return token(token, expiresIn, null);
    }

    /** With {@code report} (when not null): how the token answers a report of a failing token. */
    static byte[] token(IssuedToken token, long expiresIn, String report) {
        CredentialKey key = token.credential();
        StringBuilder json = new StringBuilder(256 + token.accessToken().length());
        json.append("{\"access_token\":");
        string(json, token.accessToken());
        json.append(",\"expires_in\":").append(expiresIn).append(",\"expires_at\":");
        string(json, DateTimeFormatter.ISO_INSTANT.format(token.expiresAt().truncatedTo(ChronoUnit.SECONDS)));
        json.append(",\"appid\":");
        string(json, token.appid());
        json.append(",\"tenant\":");
        string(json, key.tenant());
        json.append(",\"app\":");
        string(json, key.app());
        json.append(",\"env\":");
        string(json, key.env());
        if (report != null) {
            json.append(",\"report\":");
            string(json, report);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** WeChat's shape: {@code {"access_token":"...","expires_in":7200}}. */
    public static byte[] wechat(String accessToken, long expiresIn) {
        StringBuilder json = new StringBuilder(64 + accessToken.length());
        json.append("{\"access_token\":");
        string(json, accessToken);
        return json.append(",\"expires_in\":").append(expiresIn).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** WeCom's shape: {@code {"errcode":0,"errmsg":"ok","access_token":"...","expires_in":7200}}. */
    public static byte[] wecom(String accessToken, long expiresIn) {
        StringBuilder json = new StringBuilder(96 + accessToken.length());
        json.append("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":");
        string(json, accessToken);
        return json.append(",\"expires_in\":").append(expiresIn).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void string(StringBuilder json, String value) {
        json.append('"');
        if (plain(value)) {   // tokens, AppIDs and slugs always are: one copy instead of a check per character
            json.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    public static long secondsUntil(Instant instant, Instant now) {
        return Math.max(0, instant.getEpochSecond() - now.getEpochSecond()
                - (instant.getNano() < now.getNano() ? 1 : 0));
    }
}
