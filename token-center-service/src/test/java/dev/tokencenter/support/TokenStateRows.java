package dev.tokencenter.support;

import dev.tokencenter.registry.UpstreamKey;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

/** Test access to {@code token_state}, which is keyed by upstream credential (see {@link UpstreamKey}). */
public final class TokenStateRows {

    private TokenStateRows() {
    }

    /** The upstream credential of an environment, numbered the way the refresh engine's catalog numbers it. */
    public static long upstreamIdOf(JdbcTemplate jdbc, long environmentId) {
        Map<String, Object> row = jdbc.queryForMap("""
                select a.platform, e.token_mode, c.appid, c.agent_id
                  from credential c join environment e on e.id = c.environment_id join app a on a.id = e.app_id
                 where e.id = ?""", environmentId);
        String key = UpstreamKey.of((String) row.get("platform"), (String) row.get("token_mode"), (String) row.get("appid"),
                (String) row.get("agent_id"), environmentId);
        jdbc.update("insert into upstream_credential (upstream_key) values (?) on conflict (upstream_key) do nothing", key);
        return jdbc.queryForObject("select id from upstream_credential where upstream_key = ?", Long.class, key);
    }

    /** Plants a sealed token in the row of an upstream credential (the engine may have written the row already). */
    public static void plantToken(JdbcTemplate jdbc, long upstreamId, byte[] envelope, String keyId) {
        jdbc.update("insert into token_state (upstream_id, token_envelope, token_key_id, state) values (?, ?, ?, 'OK')"
                        + " on conflict (upstream_id) do update set token_envelope = excluded.token_envelope,"
                        + " token_key_id = excluded.token_key_id",
                upstreamId, envelope, keyId);
    }
}
