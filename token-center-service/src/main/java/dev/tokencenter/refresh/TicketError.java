package dev.tokencenter.refresh;

import java.time.Instant;

/**
 * The last failed ticket call of a credential and kind, kept next to the ticket until a ticket is stored. It never
 * changes the token's state.
 *
 * @param errcode   WeChat's errcode, null for timeouts, HTTP and transport failures and the hourly guard
 * @param message   WeChat's errmsg or a description; never a token or a ticket
 * @param at        when it happened
 * @param notBefore no ticket call for this credential and kind before then (backoff, or the limit's reset)
 * @param limited   whether it was a limit (45009, WeCom's hourly limit or the service's own hourly guard)
 * @param failures  consecutive failures (the backoff grows with them)
 */
record TicketError(Integer errcode, String message, Instant at, Instant notBefore, boolean limited, int failures) {
}
