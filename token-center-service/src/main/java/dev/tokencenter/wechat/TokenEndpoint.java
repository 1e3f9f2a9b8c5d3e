package dev.tokencenter.wechat;

/** The three upstream calls that issue access tokens. */
public enum TokenEndpoint implements UpstreamEndpoint {

    /** {@code GET /cgi-bin/token}: every call issues a new token; the previous one dies after a grace period. */
    CLASSIC("/cgi-bin/token"),
    /** {@code POST /cgi-bin/stable_token}: the same token until its last minutes; {@code force_refresh} replaces it. */
    STABLE("/cgi-bin/stable_token"),
    /** WeCom {@code GET /cgi-bin/gettoken}: the same token until it expires. */
    WECOM("/cgi-bin/gettoken");

    private final String path;

    TokenEndpoint(String path) {
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }
}
