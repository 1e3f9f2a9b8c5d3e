package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Envelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The {@link TokenStateStore} in PostgreSQL ({@code token_state}), written with one fenced upsert. Blocking JDBC: call
 * it from refresh workers or boundedElastic, never from an event loop.
 */
@Component
class JdbcTokenStateStore implements TokenStateStore {

    /** Token columns change only when a token is given; the status always (within the fence). */
    private static final String SAVE = """
            insert into token_state (upstream_id, token_envelope, token_key_id, token_appid, sequence, expires_at,
                                     obtained_at, guaranteed_until, refreshed_by, fence, state, next_refresh_at,
                                     last_trigger, last_error_code, last_error_message, last_error_policy,
                                     last_error_ip, paused_until, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            on conflict (upstream_id) do update
               set token_envelope = coalesce(excluded.token_envelope, token_state.token_envelope),
                   token_key_id = case when excluded.token_envelope is null then token_state.token_key_id else excluded.token_key_id end,
                   token_appid = case when excluded.token_envelope is null then token_state.token_appid else excluded.token_appid end,
                   sequence = case when excluded.token_envelope is null then token_state.sequence else excluded.sequence end,
                   expires_at = case when excluded.token_envelope is null then token_state.expires_at else excluded.expires_at end,
                   obtained_at = case when excluded.token_envelope is null then token_state.obtained_at else excluded.obtained_at end,
                   guaranteed_until = case when excluded.token_envelope is null then token_state.guaranteed_until else excluded.guaranteed_until end,
                   refreshed_by = case when excluded.token_envelope is null then token_state.refreshed_by else excluded.refreshed_by end,
                   fence = excluded.fence, state = excluded.state, next_refresh_at = excluded.next_refresh_at,
                   last_trigger = excluded.last_trigger, last_error_code = excluded.last_error_code,
                   last_error_message = excluded.last_error_message, last_error_policy = excluded.last_error_policy,
                   last_error_ip = excluded.last_error_ip, paused_until = excluded.paused_until, updated_at = now()
             where token_state.fence <= excluded.fence
            """;

    private final JdbcTemplate jdbc;

    JdbcTokenStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean save(long upstreamId, long fence, StoredToken token, RefreshStatus status) {
        Envelope envelope = token == null ? null : TokenCipher.envelopeOf(token);
        LastError error = status.lastError();
        // REFRESHING is transient: PostgreSQL keeps the state the refresh started from
        RefreshState state = status.state() == RefreshState.REFRESHING ? status.restingState() : status.state();
        return jdbc.update(SAVE, upstreamId,
                envelope == null ? null : envelope.toBytes(),
                envelope == null ? null : envelope.keyId(),
                token == null ? null : token.appid(),
                token == null ? 0 : token.sequence(),
                token == null ? null : timestamp(token.expiresAt()),
                token == null ? null : timestamp(token.obtainedAt()),
                token == null ? null : timestamp(token.guaranteedUntil()),
                status.refreshedBy(), fence, state.name(), timestamp(status.nextRefreshAt()), status.lastTrigger(),
                error == null ? null : error.errcode(),
                error == null ? null : error.message(),
                error == null || error.policy() == null ? null : error.policy().name(),
                error == null ? null : error.ip(),
                timestamp(status.pausedUntil())) == 1;
    }

    @Override
    public Optional<Row> read(long upstreamId) {
        List<Row> rows = jdbc.query("select * from token_state where upstream_id = ?",
                (rs, n) -> row(upstreamId, rs), upstreamId);
        return rows.stream().findFirst();
    }

    @Override
    public List<Row> readAll(Collection<Long> upstreamIds) {
        if (upstreamIds.isEmpty()) {
            return List.of();
        }
        Long[] ids = upstreamIds.toArray(Long[]::new);
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("select * from token_state where upstream_id = any(?)");
            statement.setArray(1, connection.createArrayOf("bigint", ids));
            return statement;
        }, (rs, n) -> row(rs.getLong("upstream_id"), rs));
    }

    @Override
    public List<Row> changedSince(Instant since) {
        return jdbc.query("select * from token_state where updated_at > ?", (rs, n) -> row(rs.getLong("upstream_id"), rs),
                Timestamp.from(since));
    }

    @Override
    public void forget(long upstreamId) {
        jdbc.update("delete from token_state where upstream_id = ?", upstreamId);
    }

    private static Row row(long upstreamId, ResultSet rs) throws SQLException {
        byte[] envelope = rs.getBytes("token_envelope");
        long sequence = rs.getLong("sequence");
        Instant expiresAt = instant(rs, "expires_at");
        Instant obtainedAt = instant(rs, "obtained_at");
        String appid = rs.getString("token_appid");
        Optional<StoredToken> token = envelope == null || expiresAt == null ? Optional.empty()
                : Optional.of(new StoredToken(upstreamId, sequence, appid,
                Base64.getEncoder().encodeToString(envelope), expiresAt, obtainedAt, instant(rs, "guaranteed_until")));
        Integer errcode = (Integer) rs.getObject("last_error_code");
        String policy = rs.getString("last_error_policy");
        LastError lastError = errcode == null && policy == null ? null : new LastError(errcode,
                rs.getString("last_error_message"), policy == null ? null : ErrcodePolicy.valueOf(policy),
                rs.getString("last_error_ip"), instant(rs, "updated_at"));
        RefreshStatus status = new RefreshStatus(RefreshState.valueOf(rs.getString("state")),
                token.isPresent() ? sequence : 0, token.isPresent() ? appid : null, expiresAt, obtainedAt,
                instant(rs, "next_refresh_at"), rs.getString("last_trigger"), lastError, instant(rs, "paused_until"),
                rs.getString("refreshed_by"), 0, instant(rs, "updated_at"));
        return new Row(upstreamId, token, status, rs.getLong("fence"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
