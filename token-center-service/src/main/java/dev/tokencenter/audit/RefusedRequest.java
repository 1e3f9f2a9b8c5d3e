package dev.tokencenter.audit;

/**
 * An admin request the security chain refused.
 *
 * @param username the username it named or was authenticated as; null when none (never a password or a key)
 * @param address  the client address
 * @param method   the HTTP method
 * @param path     the request path, without the query
 * @param status   the status answered (401, 403, 429)
 * @param reason   why, as the slug of the problem type answered (e.g. {@code forbidden}, {@code csrf})
 */
public record RefusedRequest(String username, String address, String method, String path, int status, String reason) {
}
