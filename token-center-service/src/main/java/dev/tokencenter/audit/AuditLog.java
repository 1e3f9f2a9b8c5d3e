package dev.tokencenter.audit;

import java.util.Map;

/**
 * Writes audit events. Blocking (JDBC): call it from a bounded-elastic thread or inside the registry transaction
 * it belongs to, never from an event loop. {@code details} must never hold a secret or a token.
 */
public interface AuditLog {

    void record(String actor, String action, String tenant, String target, AuditOutcome outcome, Map<String, ?> details);
}
