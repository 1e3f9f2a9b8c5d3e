package dev.tokencenter.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server from the binaries shipped in the zonky Maven packages.
 * Creates one application database owned by one application role.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "tokencenter";
    public static final String USERNAME = "tokencenter";

    private final EmbeddedPostgres postgres;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts a throw-away server on a free port. */
    public static EmbeddedPostgresServer start() {
        return start(null);
    }

    /** Starts a server keeping its data in {@code dataDirectory} (null: a temporary directory, removed on close). */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            String password = RandomPasswords.next();
            createApplicationDatabase(postgres, password);
            return new EmbeddedPostgresServer(postgres, password);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static void createApplicationDatabase(EmbeddedPostgres postgres, String password) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_roles where rolname = '" + USERNAME + "'");
            if (exists.next()) {
                statement.execute("alter role " + USERNAME + " with password '" + password + "'");
            } else {
                statement.execute("create role " + USERNAME + " login password '" + password + "'");
            }
            var dbExists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
            if (!dbExists.next()) {
                statement.execute("create database " + DATABASE + " owner " + USERNAME);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the application database", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
