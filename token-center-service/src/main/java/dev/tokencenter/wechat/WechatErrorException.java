package dev.tokencenter.wechat;

/** WeChat answered {@code {"errcode": N, "errmsg": "..."}} with N != 0. The errmsg may name the caller's IP. */
public final class WechatErrorException extends UpstreamCallException {

    private final int errcode;
    private final String errmsg;

    public WechatErrorException(UpstreamEndpoint endpoint, int errcode, String errmsg) {
        super(endpoint, endpoint.path() + " answered errcode " + errcode + ": " + errmsg);
        this.errcode = errcode;
        this.errmsg = errmsg == null ? "" : errmsg;
    }

    public int errcode() {
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }
}
