package dev.tokencenter.audit;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

public record AuditEventView(long id, Instant at, String actor, String action, String tenant, String target,
                             AuditOutcome outcome, JsonNode details) {
}
