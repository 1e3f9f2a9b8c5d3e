package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * One JS-SDK ticket of a credential as the status API shows it (never the ticket itself).
 *
 * @param type      jsapi, corp_jsapi or agent_config
 * @param expiresAt when the held ticket expires (null: none held)
 * @param lastError the last failed ticket call, until a ticket is stored
 */
record TicketView(String type, Instant expiresAt, Instant obtainedAt, TicketError lastError) {
}
