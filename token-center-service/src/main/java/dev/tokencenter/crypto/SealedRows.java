package dev.tokencenter.crypto;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * A table column holding envelopes, with the SQL to page through rows not sealed with the active key and to
 * replace one envelope only if it is still the one that was read (so a concurrent write is never overwritten).
 */
enum SealedRows {

    CREDENTIAL_SECRETS("credential", """
            select c.environment_id, c.secret_envelope, a.tenant_id || '/' || a.slug || '/' || e.name
              from credential c join environment e on e.id = c.environment_id join app a on a.id = e.app_id
             where c.secret_key_id <> ? and c.environment_id > ?
             order by c.environment_id limit ?""",
            "update credential set secret_envelope = ?, secret_key_id = ? where environment_id = ? and secret_envelope = ?",
            "select secret_key_id, count(*) from credential where secret_key_id <> ? group by secret_key_id") {
        @Override
        String binding(long environmentId) {
            return Bindings.credentialSecret(environmentId);
        }
    },

    TOKENS("token_state", """
            select t.upstream_id, t.token_envelope, u.upstream_key
              from token_state t join upstream_credential u on u.id = t.upstream_id
             where t.token_envelope is not null and (t.token_key_id is null or t.token_key_id <> ?)
               and t.upstream_id > ?
             order by t.upstream_id limit ?""",
            "update token_state set token_envelope = ?, token_key_id = ? where upstream_id = ? and token_envelope = ?",
            """
            select coalesce(token_key_id, '?'), count(*) from token_state
             where token_envelope is not null and (token_key_id is null or token_key_id <> ?)
             group by token_key_id""") {
        @Override
        String binding(long upstreamId) {
            return Bindings.token(upstreamId);
        }
    };

    /** @param id the row's key: environment id (secrets) or upstream credential id (tokens) */
    record Row(long id, byte[] envelope, String name) {
    }

    final String table;
    private final String select;
    private final String update;
    private final String remaining;

    SealedRows(String table, String select, String update, String remaining) {
        this.table = table;
        this.select = select;
        this.update = update;
        this.remaining = remaining;
    }

    abstract String binding(long id);

    List<Row> next(JdbcTemplate jdbc, String activeKeyId, long afterId, int batchSize) {
        return jdbc.query(select, (rs, i) -> new Row(rs.getLong(1), rs.getBytes(2), rs.getString(3)),
                activeKeyId, afterId, batchSize);
    }

    boolean replace(JdbcTemplate jdbc, Row row, Envelope rewrapped) {
        return jdbc.update(update, rewrapped.toBytes(), rewrapped.keyId(), row.id(), row.envelope()) == 1;
    }

    List<Object[]> remaining(JdbcTemplate jdbc, String activeKeyId) {
        return jdbc.query(remaining, (rs, i) -> new Object[]{rs.getString(1), rs.getLong(2)}, activeKeyId);
    }
}
