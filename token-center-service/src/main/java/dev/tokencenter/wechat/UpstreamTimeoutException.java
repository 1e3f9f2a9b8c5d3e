package dev.tokencenter.wechat;

/** No answer within the bounded connect/response timeouts (the call may or may not have reached WeChat). */
public final class UpstreamTimeoutException extends UpstreamCallException {

    public UpstreamTimeoutException(UpstreamEndpoint endpoint, String what) {
        super(endpoint, endpoint.path() + " timed out: " + what);
    }
}
