package dev.tokencenter.refresh;

import dev.tokencenter.wechat.TicketEndpoint;

import java.util.List;

/** Which JS-SDK tickets a credential has: official accounts one, WeCom apps two, mini programs none. */
public final class TicketKinds {

    private TicketKinds() {
    }

    public static List<TicketEndpoint> of(CatalogEntry entry) {
        return switch (entry.platform()) {
            case "WECHAT_OFFICIAL_ACCOUNT" -> List.of(TicketEndpoint.JSAPI);
            case "WECOM" -> List.of(TicketEndpoint.CORP_JSAPI, TicketEndpoint.AGENT_CONFIG);
            default -> List.of();
        };
    }

    static TicketEndpoint byLabel(String label) {
        for (TicketEndpoint kind : TicketEndpoint.values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown ticket kind");
    }
}
