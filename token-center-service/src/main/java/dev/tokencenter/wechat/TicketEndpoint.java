package dev.tokencenter.wechat;

/**
 * The JS-SDK ticket calls, one per kind of ticket. Each answers {@code {"errcode":0,"ticket","expires_in"}} and is
 * made with an access token of the credential.
 */
public enum TicketEndpoint implements UpstreamEndpoint {

    /** Official accounts: {@code GET /cgi-bin/ticket/getticket?type=jsapi}, for {@code wx.config}. */
    JSAPI("/cgi-bin/ticket/getticket", "jsapi", "jsapi"),
    /** WeCom: the corp's ticket, {@code GET /cgi-bin/get_jsapi_ticket}, for {@code wx.config}. */
    CORP_JSAPI("/cgi-bin/get_jsapi_ticket", null, "corp_jsapi"),
    /** WeCom: the app's ticket, {@code GET /cgi-bin/ticket/get?type=agent_config}, for {@code wx.agentConfig}. */
    AGENT_CONFIG("/cgi-bin/ticket/get", "agent_config", "agent_config");

    private final String path;
    private final String type;
    private final String label;

    TicketEndpoint(String path, String type, String label) {
        this.path = path;
        this.type = type;
        this.label = label;
    }

    @Override
    public String path() {
        return path;
    }

    /** The {@code type} query parameter, null when the call has none. */
    public String type() {
        return type;
    }

    /** The kind's name in Redis keys, bindings, the status view and the API ({@code jsapi}, {@code corp_jsapi}, ...). */
    public String label() {
        return label;
    }

    /** Whether WeCom issues it (the other kind is WeChat's). */
    public boolean wecom() {
        return this != JSAPI;
    }
}
