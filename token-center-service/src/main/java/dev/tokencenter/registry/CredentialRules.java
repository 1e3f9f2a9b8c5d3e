package dev.tokencenter.registry;

import dev.tokencenter.web.Validator;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Input rules for apps and credentials. Messages never quote a secret. */
final class CredentialRules {

    static final int MAX_SECRET_LENGTH = 128;
    private static final Pattern WECHAT_APPID = Pattern.compile("wx[0-9a-f]{16}");
    private static final Pattern WECOM_CORP_ID = Pattern.compile("ww[0-9a-f]{16}");
    private static final Pattern AGENT_ID = Pattern.compile("[0-9]{1,20}");

    private CredentialRules() {
    }

    /** Null when the text is not a platform; the caller reports it. */
    static Platform platform(Validator validator, String field, String value) {
        if (value == null || value.isEmpty()) {
            validator.reject(field, "is required (one of " + Arrays.toString(Platform.values()) + ")");
            return null;
        }
        try {
            return Platform.valueOf(value);
        } catch (IllegalArgumentException e) {
            validator.reject(field, "must be one of " + Arrays.toString(Platform.values()));
            return null;
        }
    }

    static void appid(Validator validator, Platform platform, String value) {
        if (platform.isWechat()) {
            if (!WECHAT_APPID.matcher(value).matches()) {
                validator.reject("appid", "must be a WeChat AppID: 'wx' followed by 16 lower-case hex characters");
            }
        } else if (!WECOM_CORP_ID.matcher(value).matches()) {
            validator.reject("appid", "must be a WeCom corp id: 'ww' followed by 16 lower-case hex characters");
        }
    }

    static void secret(Validator validator, String field, String value) {
        if (value == null || value.isEmpty()) {
            validator.reject(field, "is required and must not be empty");
            return;
        }
        if (value.length() > MAX_SECRET_LENGTH) {
            validator.reject(field, "must be at most " + MAX_SECRET_LENGTH + " characters");
            return;
        }
        if (!value.strip().equals(value)) {
            validator.reject(field, "must not start or end with white space");
            return;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            validator.reject(field, "must not contain control characters");
        }
    }

    /** The token mode to store; WeCom apps have none (the column keeps its default). */
    static TokenMode tokenMode(Validator validator, Platform platform, String value, TokenMode current) {
        if (value == null) {
            return current;
        }
        if (!platform.isWechat()) {
            validator.reject("token_mode", "applies only to WeChat platforms, not to " + platform);
            return current;
        }
        try {
            TokenMode mode = TokenMode.valueOf(value.toUpperCase(Locale.ROOT));
            if (mode.selectable()) {
                return mode;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        validator.reject("token_mode", "must be STABLE or CLASSIC");
        return current;
    }

    static void agentId(Validator validator, Platform platform, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (platform.isWechat()) {
            validator.reject("agent_id", "applies only to WeCom apps, not to " + platform);
        } else if (!AGENT_ID.matcher(value).matches()) {
            validator.reject("agent_id", "must be a WeCom agent id: 1 to 20 digits");
        }
    }

    /** Shown instead of the secret: the last 4 characters of a secret long enough to spare them, else nothing. */
    static String hint(String secret) {
        return secret.length() >= 16 ? secret.substring(secret.length() - 4) : "";
    }
}
