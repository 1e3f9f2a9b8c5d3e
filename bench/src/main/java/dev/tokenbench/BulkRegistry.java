package dev.tokenbench;

import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts tenant, app, environment and credential rows in JDBC batches, the secrets sealed with the service's
 * {@link EnvelopeCipher} under the binding the registry uses ({@code credential:<environment_id>:secret}). The
 * service instances read them with their first catalog load.
 */
final class BulkRegistry {

    /** One credential to register: platform WECHAT_OFFICIAL_ACCOUNT / WECHAT_MINIPROGRAM / WECOM, mode CLASSIC / STABLE. */
    record Row(String app, String platform, String mode, String appid, String secret) {
    }

    private static final int BATCH = 1000;

    private final Connection connection;
    private final EnvelopeCipher cipher;

    BulkRegistry(Connection connection, EnvelopeCipher cipher) {
        this.connection = connection;
        this.cipher = cipher;
    }

    void insert(String tenant, List<Row> rows) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("insert into tenant (id, name) values (?, ?)")) {
            statement.setString(1, tenant);
            statement.setString(2, tenant);
            statement.executeUpdate();
        }
        batch("insert into app (tenant_id, slug, name, platform) values (?, ?, ?, ?)", rows, (statement, row) -> {
            statement.setString(1, tenant);
            statement.setString(2, row.app());
            statement.setString(3, row.app());
            statement.setString(4, row.platform());
        });
        Map<String, Long> apps = ids("select slug, id from app where tenant_id = ?", tenant);
        batch("insert into environment (app_id, name, production, enabled, token_mode) values (?, 'prod', true, true, ?)",
                rows, (statement, row) -> {
                    statement.setLong(1, apps.get(row.app()));
                    statement.setString(2, row.mode());
                });
        Map<String, Long> environments = ids("select a.slug, e.id from environment e join app a on a.id = e.app_id"
                + " where a.tenant_id = ?", tenant);
        batch("insert into credential (environment_id, appid, secret_envelope, secret_key_id, secret_hint)"
                + " values (?, ?, ?, ?, ?)", rows, (statement, row) -> {
            long environmentId = environments.get(row.app());
            Envelope sealed = cipher.seal(row.secret(), "credential:" + environmentId + ":secret");
            statement.setLong(1, environmentId);
            statement.setString(2, row.appid());
            statement.setBytes(3, sealed.toBytes());
            statement.setString(4, sealed.keyId());
            statement.setString(5, row.secret().substring(0, 4));
        });
        connection.commit();
        connection.setAutoCommit(true);
    }

    private interface Binder {
        void bind(PreparedStatement statement, Row row) throws SQLException;
    }

    private void batch(String sql, List<Row> rows, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int pending = 0;
            for (Row row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
                if (++pending == BATCH) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }

    private Map<String, Long> ids(String sql, String tenant) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return ids;
    }
}
