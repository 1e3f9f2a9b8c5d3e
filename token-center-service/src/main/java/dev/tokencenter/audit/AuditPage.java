package dev.tokencenter.audit;

import java.util.List;

/** One page of audit events, newest first. {@code hasMore} tells whether the next page has any. */
public record AuditPage(int page, int size, boolean hasMore, List<AuditEventView> events) {
}
