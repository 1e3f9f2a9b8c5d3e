package dev.tokencenter.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

import java.util.Map;

/** Inserts into audit_event; joins the caller's transaction when there is one, so a rolled-back change leaves no event. */
@Component
class JdbcAuditLog implements AuditLog {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    JdbcAuditLog(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void record(String actor, String action, String tenant, String target, AuditOutcome outcome, Map<String, ?> details) {
        jdbc.update("insert into audit_event (actor, action, tenant_id, target, outcome, details) values (?, ?, ?, ?, ?, ?::jsonb)",
                actor, action, tenant, target, outcome.name(), json.writeValueAsString(details == null ? Map.of() : details));
    }
}
