package dev.tokencenter.wechat;

/** The call failed below HTTP (connection refused, reset) or the answer was not a token nor an error. */
public final class UpstreamTransportException extends UpstreamCallException {

    public UpstreamTransportException(UpstreamEndpoint endpoint, String what) {
        super(endpoint, endpoint.path() + " failed: " + what);
    }
}
