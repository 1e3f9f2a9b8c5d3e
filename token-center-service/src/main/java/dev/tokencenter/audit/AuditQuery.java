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
        return page(new Filter(tenant, null, null, since, null), page, size);
    }

    /**
     * What to list: each part left null matches every event.
     *
     * @param action an action ({@code client.create}) or a prefix ending in a dot ({@code client.})
     * @param until  events before this moment
     */
    public record Filter(String tenant, String actor, String action, Instant since, Instant until) {
    }

    public AuditPage page(Filter filter, int page, int size) {
        StringBuilder sql = new StringBuilder(
                "select id, at, actor, action, tenant_id, target, outcome, details::text from audit_event where true");
        List<Object> args = new ArrayList<>();
        if (filter.tenant() != null) {
            sql.append(" and tenant_id = ?");
            args.add(filter.tenant());
        }
        if (filter.actor() != null) {
            sql.append(" and actor = ?");
            args.add(filter.actor());
        }
        if (filter.action() != null && filter.action().endsWith(".")) {
            sql.append(" and left(action, ?) = ?");
            args.add(filter.action().length());
            args.add(filter.action());
        } else if (filter.action() != null) {
            sql.append(" and action = ?");
            args.add(filter.action());
        }
        if (filter.since() != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(filter.until()));
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
