package dev.tokencenter.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads audit events, newest first, optionally of one tenant and since a moment. Blocking (JDBC). */
@Component
public class AuditQuery {

    public static final int PAGE_SIZE = 50;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AuditQuery(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public AuditPage page(String tenant, Instant since, int page, int size) {
        StringBuilder sql = new StringBuilder(
                "select id, at, actor, action, tenant_id, target, outcome, details::text from audit_event where true");
        List<Object> args = new ArrayList<>();
        if (tenant != null) {
            sql.append(" and tenant_id = ?");
            args.add(tenant);
        }
        if (since != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(since));
        }
        sql.append(" order by at desc, id desc limit ? offset ?");
        args.add(size + 1);
        args.add((long) page * size);
        List<AuditEventView> events = jdbc.query(sql.toString(), (rs, i) -> new AuditEventView(
                rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), AuditOutcome.valueOf(rs.getString(7)), json.readTree(rs.getString(8))), args.toArray());
        boolean more = events.size() > size;
        return new AuditPage(page, size, more, more ? events.subList(0, size) : events);
    }
}
