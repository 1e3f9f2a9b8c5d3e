package dev.tokencenter.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tickets fetched with an access token: WeChat's {@code /cgi-bin/ticket/getticket} (jsapi, wx_card) and
 * WeCom's {@code /cgi-bin/get_jsapi_ticket} (the corp's ticket, for {@code wx.config}) and
 * {@code /cgi-bin/ticket/get?type=agent_config} (one app's ticket, for {@code wx.agentConfig}). A ticket is the
 * same until it expires. WeCom limits each kind to {@code wecomCorpTicketHourlyLimit} calls per corp and
 * {@code wecomAppTicketHourlyLimit} per app in a clock hour (45009 beyond).
 */
final class TicketEndpoints {

    static final String WECHAT_TICKET = "/cgi-bin/ticket/getticket";
    static final String WECOM_CORP_TICKET = "/cgi-bin/get_jsapi_ticket";
    static final String WECOM_AGENT_TICKET = "/cgi-bin/ticket/get";

    static final String CORP_JSAPI = "corp_jsapi";
    static final String AGENT_CONFIG = "agent_config";

    private static final Set<String> WECHAT_TYPES = Set.of("jsapi", "wx_card");

    private record CorpWindow(String corpid, String type) {
    }

    private record AppWindow(String corpid, String app, String type) {
    }

    private TicketEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                new Route(WECHAT_TICKET, Platform.WECHAT, TicketEndpoints::wechatTicket),
                new Route(WECOM_CORP_TICKET, Platform.WECOM,
                        (request, state) -> wecomTicket(request, state, CORP_JSAPI)),
                new Route(WECOM_AGENT_TICKET, Platform.WECOM, TicketEndpoints::wecomAgentTicket));
    }

    static SimResponse wechatTicket(SimRequest request, SimulatorState state) {
        String type = request.param("type") == null ? "jsapi" : request.param("type");
        TokenCheck check = ApiSupport.authorize(request, state, Platform.WECHAT);
        if (!check.ok()) {
            return SimResponse.wechatError(check.errcode());
        }
        if (!WECHAT_TYPES.contains(type)) {
            return SimResponse.wechatError(ErrorCatalog.INVALID_ARGS);
        }
        TicketIssuer.Ticket ticket = state.tickets().current(check.token().appid, null, type);
        return SimResponse.wechat(body(ticket, state));
    }

    static SimResponse wecomAgentTicket(SimRequest request, SimulatorState state) {
        if (!AGENT_CONFIG.equals(request.param("type"))) {
            TokenCheck check = ApiSupport.authorize(request, state, Platform.WECOM);
            return SimResponse.wecomError(check.ok() ? ErrorCatalog.INVALID_ARGS : check.errcode());
        }
        return wecomTicket(request, state, AGENT_CONFIG);
    }

    private static SimResponse wecomTicket(SimRequest request, SimulatorState state, String type) {
        TokenCheck check = ApiSupport.authorize(request, state, Platform.WECOM);
        if (!check.ok()) {
            return SimResponse.wecomError(check.errcode());
        }
        String corpid = check.token().appid;
        String app = check.token().app;
        SimulatorSettings settings = state.settings();
        if (!state.limits().tryAcquire(Duration.ofHours(1), List.of(
                new WindowLimiter.Limit(new CorpWindow(corpid, type), settings.wecomCorpTicketHourlyLimit()),
                new WindowLimiter.Limit(new AppWindow(corpid, app, type), settings.wecomAppTicketHourlyLimit())))) {
            return SimResponse.wecomError(ErrorCatalog.WECOM_FREQUENCY_LIMIT);
        }
        TicketIssuer.Ticket ticket = state.tickets().current(corpid, AGENT_CONFIG.equals(type) ? app : null, type);
        return SimResponse.wecom(body(ticket, state));
    }

    private static Map<String, Object> body(TicketIssuer.Ticket ticket, SimulatorState state) {
        Map<String, Object> body = SimResponse.okBody();
        body.put("ticket", ticket.value());
        body.put("expires_in", ticket.secondsLeft(state.clock().now()));
        return body;
    }
}
