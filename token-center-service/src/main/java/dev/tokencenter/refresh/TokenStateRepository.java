package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Envelope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL copy of token and status ({@code token_state}): the cold fallback when Redis has nothing, and the
 * durable record. Blocking JDBC: call it from refresh workers or boundedElastic, never from an event loop.
 */
@Component
class TokenStateRepository {

    /** A conditional update: a token with a lower (or equal) sequence never replaces the stored one. */
    private static final String WRITE_TOKEN = """
            insert into token_state (environment_id, token_envelope, token_key_id, token_appid, sequence, expires_at,
                                     obtained_at, refreshed_by, state, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, 'OK', now())
            on conflict (environment_id) do update
               set token_envelope = excluded.token_envelope, token_key_id = excluded.token_key_id,
                   token_appid = excluded.token_appid,
                   sequence = excluded.sequence, expires_at = excluded.expires_at, obtained_at = excluded.obtained_at,
                   refreshed_by = excluded.refreshed_by, updated_at = now()
             where token_state.sequence < excluded.sequence
            """;

    private static final String WRITE_STATUS = """
            insert into token_state (environment_id, state, next_refresh_at, last_trigger, last_error_code,
                                     last_error_message, last_error_policy, last_error_ip, paused_until, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            on conflict (environment_id) do update
               set state = excluded.state, next_refresh_at = excluded.next_refresh_at,
                   last_trigger = excluded.last_trigger, last_error_code = excluded.last_error_code,
                   last_error_message = excluded.last_error_message, last_error_policy = excluded.last_error_policy,
                   last_error_ip = excluded.last_error_ip, paused_until = excluded.paused_until, updated_at = now()
            """;

    /** A row of token_state: the sealed token (if any) and the status. */
    record Row(Optional<StoredToken> token, RefreshStatus status) {
    }

    private final JdbcTemplate jdbc;

    TokenStateRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns whether the token was written (false: a newer one is stored, or the environment is gone). */
    boolean writeTokenIfNewer(StoredToken token, String refreshedBy) {
        Envelope envelope = TokenSealing.envelopeOf(token);
        return jdbc.update(WRITE_TOKEN, token.environmentId(), envelope.toBytes(), envelope.keyId(), token.appid(), token.sequence(),
                timestamp(token.expiresAt()), timestamp(token.obtainedAt()), refreshedBy) == 1;
    }

    void writeStatus(long environmentId, RefreshStatus status) {
        LastError error = status.lastError();
        // REFRESHING is transient: PostgreSQL keeps the state the refresh started from
        RefreshState state = status.state() == RefreshState.REFRESHING ? status.restingState() : status.state();
        jdbc.update(WRITE_STATUS, environmentId, state.name(), timestamp(status.nextRefreshAt()), status.lastTrigger(),
                error == null ? null : error.errcode(),
                error == null ? null : error.message(),
                error == null || error.policy() == null ? null : error.policy().name(),
                error == null ? null : error.ip(),
                timestamp(status.pausedUntil()));
    }

    Optional<Row> read(long environmentId) {
        List<Row> rows = jdbc.query("""
                select * from token_state where environment_id = ?
                """, (rs, n) -> row(environmentId, rs), environmentId);
        return rows.stream().findFirst();
    }

    private static Row row(long environmentId, ResultSet rs) throws SQLException {
        byte[] envelope = rs.getBytes("token_envelope");
        long sequence = rs.getLong("sequence");
        Instant expiresAt = instant(rs, "expires_at");
        Instant obtainedAt = instant(rs, "obtained_at");
        String appid = rs.getString("token_appid");
        Optional<StoredToken> token = envelope == null || expiresAt == null ? Optional.empty()
                : Optional.of(new StoredToken(environmentId, sequence, appid,
                Base64.getEncoder().encodeToString(envelope), expiresAt, obtainedAt));
        Integer errcode = (Integer) rs.getObject("last_error_code");
        String policy = rs.getString("last_error_policy");
        LastError lastError = errcode == null && policy == null ? null : new LastError(errcode,
                rs.getString("last_error_message"), policy == null ? null : ErrcodePolicy.valueOf(policy),
                rs.getString("last_error_ip"), instant(rs, "updated_at"));
        RefreshStatus status = new RefreshStatus(RefreshState.valueOf(rs.getString("state")),
                token.isPresent() ? sequence : 0, token.isPresent() ? appid : null, expiresAt, obtainedAt,
                instant(rs, "next_refresh_at"), rs.getString("last_trigger"), lastError, instant(rs, "paused_until"),
                rs.getString("refreshed_by"), 0, instant(rs, "updated_at"));
        return new Row(token, status);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
