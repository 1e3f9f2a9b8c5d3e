package dev.tokencenter.simulator;

import java.time.Instant;

/**
 * What the simulator knows about a JS-SDK / card ticket right now.
 *
 * @param valid     whether the ticket is within its lifetime
 * @param appid     the appid (or WeCom corp id) it was issued to, {@code null} if the ticket is unknown
 * @param type      {@code jsapi} or {@code wx_card} (WeChat), {@code corp_jsapi} or {@code agent_config} (WeCom)
 * @param expiresAt when it stops (or stopped) being valid; {@code null} if unknown
 */
public record TicketValidity(boolean valid, String appid, String type, Instant expiresAt) {

    static TicketValidity unknown() {
        return new TicketValidity(false, null, null, null);
    }
}
