package dev.tokencenter.web;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * The catalogue of every problem type the service answers with (RFC 9457): a stable {@code type} URI
 * ({@code https://token-center.dev/problems/<slug>}), the HTTP status and the title, which is the same for every
 * occurrence of the type. docs/errors.md lists them with their meaning; a test keeps the two in step.
 * The WeChat-compatible endpoints answer in WeChat's own error vocabulary instead (see {@code compat.WechatErrors}).
 */
public enum ProblemType {

    INVALID_INPUT(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input"),
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required"),
    LOGIN_FAILED(HttpStatus.UNAUTHORIZED, "login-failed", "Login failed"),
    MISSING_CLIENT_KEY(HttpStatus.UNAUTHORIZED, "missing-client-key", "Client key required"),
    INVALID_CLIENT_KEY(HttpStatus.UNAUTHORIZED, "invalid-client-key", "Invalid client key"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),
    CSRF(HttpStatus.FORBIDDEN, "csrf", "CSRF token missing or invalid"),
    CROSS_SITE_REQUEST(HttpStatus.FORBIDDEN, "cross-site-request", "Cross-site request refused"),
    NOT_GRANTED(HttpStatus.FORBIDDEN, "not-granted", "Not granted"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    CREDENTIAL_NOT_FOUND(HttpStatus.NOT_FOUND, "credential-not-found", "Unknown credential"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),
    CREDENTIAL_DISABLED(HttpStatus.CONFLICT, "credential-disabled", "Credential disabled"),
    CREDENTIAL_STOPPED(HttpStatus.CONFLICT, "credential-stopped", "Credential stopped or paused"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
    LOGIN_THROTTLED(HttpStatus.TOO_MANY_REQUESTS, "login-throttled", "Too many failed logins"),
    REFRESH_RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "refresh-rate-limited", "Refresh rate-limited"),
    FORCE_REFRESH_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "force-refresh-limited", "force_refresh limit reached"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error"),
    SEALED_VALUE(HttpStatus.INTERNAL_SERVER_ERROR, "sealed-value", "Stored secret unreadable"),
    TOKEN_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "token-unavailable", "No usable token"),
    CLIENT_STORE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "client-store-unavailable", "Client keys cannot be checked"),
    CLIENT_LOOKUP_THROTTLED(HttpStatus.SERVICE_UNAVAILABLE, "client-lookup-throttled", "Client key not checked"),
    DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable"),
    REDIS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "redis-unavailable", "Redis unavailable"),
    REFRESH_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "refresh-busy", "Refresh under way"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable"),
    // mini program
    NOT_A_MINI_PROGRAM(HttpStatus.CONFLICT, "not-a-mini-program", "Not a mini program"),
    INVALID_LOGIN_CODE(HttpStatus.BAD_REQUEST, "invalid-login-code", "Invalid or expired login code"),
    LOGIN_CODE_USED(HttpStatus.BAD_REQUEST, "login-code-used", "Login code already used"),
    USER_BLOCKED(HttpStatus.FORBIDDEN, "user-blocked", "User blocked by WeChat"),
    WECHAT_RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "wechat-rate-limited", "WeChat rate limit reached"),
    UNKNOWN_SESSION(HttpStatus.NOT_FOUND, "unknown-session", "Unknown session"),
    LOGIN_REQUIRED(HttpStatus.CONFLICT, "login-required", "User must log in again"),
    ENCRYPTED_DATA_NOT_BASE64(HttpStatus.BAD_REQUEST, "malformed-encrypted-data", "Encrypted data not base64"),
    ENCRYPTED_DATA_WRONG_SIZE(HttpStatus.BAD_REQUEST, "encrypted-data-wrong-size", "Wrong IV or encrypted data size"),
    STALE_SESSION_KEY(HttpStatus.BAD_REQUEST, "stale-session-key", "Not encrypted with this session's key"),
    DECRYPTED_DATA_NOT_JSON(HttpStatus.BAD_REQUEST, "decrypted-data-not-json", "Decrypted data not JSON"),
    FOREIGN_WATERMARK(HttpStatus.BAD_REQUEST, "foreign-watermark", "Watermark of another app"),
    WATERMARK_TOO_OLD(HttpStatus.BAD_REQUEST, "watermark-too-old", "Watermark too old"),
    INVALID_PHONE_CODE(HttpStatus.BAD_REQUEST, "invalid-phone-code", "Invalid or expired phone code"),
    PHONE_CODE_OF_ANOTHER_APP(HttpStatus.BAD_REQUEST, "phone-code-of-another-app", "Phone code of another app"),
    WECHAT_ERROR(HttpStatus.BAD_GATEWAY, "wechat-error", "WeChat call failed"),
    WECHAT_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "wechat-unavailable", "WeChat unavailable"),
    // JS-SDK
    JSSDK_NOT_SUPPORTED(HttpStatus.CONFLICT, "jssdk-not-supported", "No JS-SDK for this credential"),
    TICKET_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "ticket-unavailable", "No usable JS-SDK ticket");

    public static final String TYPE_BASE = "https://token-center.dev/problems/";

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final URI type;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.type = URI.create(TYPE_BASE + slug);
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return type;
    }
}
