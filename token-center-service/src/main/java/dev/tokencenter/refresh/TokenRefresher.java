package dev.tokencenter.refresh;

import java.util.concurrent.CompletableFuture;

/**
 * The refreshes the token API asks for. Both answer on the refresh workers, never block the caller, and complete
 * with BUSY rather than wait for a full queue.
 */
public interface TokenRefresher {

    /** A reader found no usable token: one coalesced fetch cluster-wide. */
    CompletableFuture<RefreshOutcome> firstUse(CatalogEntry entry);

    /**
     * A client reports that WeChat rejected {@code rejectedToken}: refreshed only if it is still the current token,
     * WeChat confirms the rejection, and the per-credential rate limit allows it.
     */
    CompletableFuture<RefreshOutcome> reportRejected(CatalogEntry entry, String rejectedToken);

    /**
     * Whether a report of {@code token} now could end in anything but leaving it in place: false when the report
     * would neither ask WeChat nor find a rejection on record (the check budget of the credential is spent) or the
     * engine is stopping, so the report can only keep the current token. Never blocks, changes nothing.
     */
    boolean reportCouldReplace(CatalogEntry entry, String token);
}
