package dev.tokencenter.wechat;

/** An upstream call, named by its path (never by its URL: GET calls carry a secret or a token in the query). */
public interface UpstreamEndpoint {

    String path();
}
