package dev.tokencenter.simulator;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tickets fetched with an access token: WeChat's {@code /cgi-bin/ticket/getticket} (jsapi, wx_card) and,
 * so that WeCom tokens have something to be used on, WeCom's {@code /cgi-bin/get_jsapi_ticket} and
 * {@code /cgi-bin/ticket/get?type=agent_config}.
 */
final class TicketEndpoints {

    static final String WECHAT_TICKET = "/cgi-bin/ticket/getticket";
    static final String WECOM_CORP_TICKET = "/cgi-bin/get_jsapi_ticket";
    static final String WECOM_AGENT_TICKET = "/cgi-bin/ticket/get";

    private static final Set<String> WECHAT_TYPES = Set.of("jsapi", "wx_card");

    private TicketEndpoints() {
    }

    static List<Route> routes() {
        return List.of(
                new Route(WECHAT_TICKET, Platform.WECHAT, TicketEndpoints::wechatTicket),
                new Route(WECOM_CORP_TICKET, Platform.WECOM, (request, state) ->
                        ticket(request, state, Platform.WECOM, "corp_jsapi")),
                new Route(WECOM_AGENT_TICKET, Platform.WECOM, TicketEndpoints::wecomAgentTicket));
    }

    static SimResponse wechatTicket(SimRequest request, SimulatorState state) {
        String type = request.param("type") == null ? "jsapi" : request.param("type");
        if (!WECHAT_TYPES.contains(type)) {
            TokenCheck check = ApiSupport.authorize(request, state, Platform.WECHAT);
            return SimResponse.wechatError(check.ok() ? ErrorCatalog.INVALID_ARGS : check.errcode());
        }
        return ticket(request, state, Platform.WECHAT, type);
    }

    static SimResponse wecomAgentTicket(SimRequest request, SimulatorState state) {
        if (!"agent_config".equals(request.param("type"))) {
            TokenCheck check = ApiSupport.authorize(request, state, Platform.WECOM);
            return SimResponse.wecomError(check.ok() ? ErrorCatalog.INVALID_ARGS : check.errcode());
        }
        return ticket(request, state, Platform.WECOM, "agent_config");
    }

    private static SimResponse ticket(SimRequest request, SimulatorState state, Platform platform, String type) {
        TokenCheck check = ApiSupport.authorize(request, state, platform);
        if (!check.ok()) {
            return ApiSupport.error(platform, check.errcode());
        }
        TicketIssuer.Ticket ticket = state.tickets().current(check.token().appid, type);
        Map<String, Object> body = SimResponse.okBody();
        body.put("ticket", ticket.value());
        body.put("expires_in", ticket.secondsLeft(state.clock().now()));
        return platform == Platform.WECOM ? SimResponse.wecom(body) : SimResponse.wechat(body);
    }
}
