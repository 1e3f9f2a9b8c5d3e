package dev.tokencenter.compat;

import tools.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * The body of {@code POST /cgi-bin/stable_token}, read as strictly as WeChat's typed parser: each field absent, null
 * or of its own JSON type (strings, and a boolean {@code force_refresh}); anything else is WeChat's 47001 "data
 * format error". Fields WeChat does not know are ignored, as WeChat ignores them.
 */
record StableTokenBody(String grantType, String appid, String secret, boolean forceRefresh) {

    static Optional<StableTokenBody> of(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        JsonNode force = json.get("force_refresh");
        if (!isText(json, "grant_type") || !isText(json, "appid") || !isText(json, "secret")
                || !(force == null || force.isNull() || force.isBoolean())) {
            return Optional.empty();
        }
        return Optional.of(new StableTokenBody(text(json, "grant_type"), text(json, "appid"), text(json, "secret"),
                force != null && force.booleanValue()));
    }

    private static boolean isText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.isString();
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.stringValue();
    }

    @Override
    public String toString() {
        return "StableTokenBody[grantType=" + grantType + ", appid=" + appid + ", secret=[hidden], forceRefresh="
                + forceRefresh + "]";
    }
}
