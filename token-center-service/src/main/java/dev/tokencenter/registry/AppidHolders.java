package dev.tokencenter.registry;

import dev.tokencenter.web.ConflictException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Who else holds an AppID (or WeCom corp id). An AppID belongs to one tenant; inside it, environments whose
 * credentials have the same {@link UpstreamKey} share one token and therefore one secret. Call inside the registry
 * transaction: the first call takes a transaction-scoped advisory lock on the AppID, so two registrations of one
 * AppID run one after another on every instance.
 */
@Component
class AppidHolders {

    /** An environment of the same tenant that shares the upstream credential. */
    record Sharer(long environmentId, String app, String env, byte[] secretEnvelope) {

        String path(String tenant) {
            return tenant + "/" + app + "/" + env;
        }
    }

    private record Holder(long environmentId, String tenant, String app, String env, String platform, String tokenMode,
                          String agentId, byte[] secretEnvelope) {
    }

    private final JdbcTemplate jdbc;

    AppidHolders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The other environments of {@code tenant} with this upstream key; 409 (without naming the other tenant) when
     * another tenant holds the AppID.
     */
    List<Sharer> sharersOf(String tenant, long environmentId, String appid, String upstreamKey) {
        jdbc.query("select pg_advisory_xact_lock(hashtext(?))", rs -> null, "appid:" + appid);
        List<Holder> holders = jdbc.query("""
                select e.id, a.tenant_id, a.slug, e.name, a.platform, e.token_mode, c.agent_id, c.secret_envelope
                  from credential c
                  join environment e on e.id = c.environment_id
                  join app a on a.id = e.app_id
                 where c.appid = ? and e.id <> ?
                 order by e.id
                """, (rs, n) -> new Holder(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8)), appid, environmentId);
        if (holders.stream().anyMatch(holder -> !holder.tenant().equals(tenant))) {
            throw new ConflictException("AppID " + appid + " is registered by another tenant: an AppID belongs to one"
                    + " tenant, whose environments share its token");
        }
        return holders.stream()
                .filter(holder -> UpstreamKey.of(holder.platform(), holder.tokenMode(), appid, holder.agentId(),
                        holder.environmentId()).equals(upstreamKey))
                .map(holder -> new Sharer(holder.environmentId(), holder.app(), holder.env(), holder.secretEnvelope()))
                .toList();
    }
}
