package dev.tokencenter.wechat;

/**
 * A token call that did not produce a token. Messages are written by this package: they never include the request
 * URL (which carries the secret for GET calls), the secret or a token.
 */
public abstract sealed class UpstreamCallException extends RuntimeException
        permits WechatErrorException, UpstreamTimeoutException, UpstreamHttpException, UpstreamTransportException {

    private final TokenEndpoint endpoint;

    UpstreamCallException(TokenEndpoint endpoint, String message) {
        super(message, null, false, false);
        this.endpoint = endpoint;
    }

    public TokenEndpoint endpoint() {
        return endpoint;
    }
}
