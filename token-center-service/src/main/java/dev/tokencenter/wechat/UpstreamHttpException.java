package dev.tokencenter.wechat;

/** WeChat answered an HTTP error status instead of a JSON body. */
public final class UpstreamHttpException extends UpstreamCallException {

    private final int status;

    public UpstreamHttpException(UpstreamEndpoint endpoint, int status) {
        super(endpoint, endpoint.path() + " answered HTTP " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
