package dev.tokencenter.wechat;

/**
 * A token or ticket call that did not produce its value. Messages are written by this package: they never include the request
 * URL (which carries the secret for GET calls), the secret or a token.
 */
public abstract sealed class UpstreamCallException extends RuntimeException
        permits WechatErrorException, UpstreamTimeoutException, UpstreamHttpException, UpstreamTransportException {

    private final UpstreamEndpoint endpoint;

    UpstreamCallException(UpstreamEndpoint endpoint, String message) {
        super(message, null, false, false);
        this.endpoint = endpoint;
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }
}
