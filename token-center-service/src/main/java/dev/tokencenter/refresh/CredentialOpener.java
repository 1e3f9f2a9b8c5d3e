package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens a credential's AppID and secret for one upstream call, straight from the registry row (so a rotation applies at once).
 * The catalog keeps a sealed copy of every row it loads, so that refreshes go on while PostgreSQL is unreachable:
 * when a copy is held, the row is read on the reader threads and a refresh waits for it at most
 * {@code secret-read-wait}, then uses the copy (a stalled connection would otherwise hold the refresh until the socket
 * timeout).
 */
@Component
class CredentialOpener implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CredentialOpener.class);

    private record SealedCredential(String appid, byte[] envelope) {
    }

    /** The AppID and plaintext secret of one credential; {@link #toString()} never shows the secret. */
    record OpenCredential(String appid, String secret) {
        @Override
        public String toString() {
            return "OpenCredential[appid=" + appid + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final EnvelopeCipher cipher;
    private final CredentialCatalog catalog;
    private final Duration readWait;
    private final ExecutorService readers;

    CredentialOpener(JdbcTemplate jdbc, EnvelopeCipher cipher, CredentialCatalog catalog, RefreshProperties properties) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.catalog = catalog;
        this.readWait = properties.secretReadWait();
        AtomicInteger threads = new AtomicInteger();
        // as many readers as refresh workers; when all are stuck on a stalled connection, refreshes use the copy at once
        this.readers = new ThreadPoolExecutor(properties.workerThreads(), properties.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.workerThreads()), runnable -> {
            Thread thread = new Thread(runnable, "secret-reader-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Blocks the caller for at most {@code secret-read-wait}. Empty when the credential no longer exists. */
    Optional<OpenCredential> open(long environmentId) {
        Optional<SealedCredential> copy = catalog.sealedSecret(environmentId)
                .map(loaded -> new SealedCredential(loaded.appid(), loaded.envelope()));
        SealedCredential sealed;
        try {
            // with no copy to fall back on, waiting longer (up to the JDBC timeouts) beats failing the refresh
            Optional<SealedCredential> found = copy.isPresent() ? read(environmentId)
                    : query(environmentId).stream().findFirst();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            sealed = found.get();
        } catch (DataAccessException | TimeoutException | RejectedExecutionException e) {
            sealed = copy.orElse(null);
            if (sealed == null) {
                throw new DataAccessResourceFailureException("credential of environment " + environmentId
                        + " not readable (" + e.getClass().getSimpleName() + ")");
            }
            log.warn("PostgreSQL unreachable ({}): using the sealed credential copy of environment {} the catalog loaded",
                    e.getClass().getSimpleName(), environmentId);
        }
        return Optional.of(new OpenCredential(sealed.appid(),
                cipher.open(Envelope.fromBytes(sealed.envelope()), Bindings.credentialSecret(environmentId))));
    }

    private Optional<SealedCredential> read(long environmentId) throws TimeoutException {
        Future<List<SealedCredential>> query = readers.submit(() -> query(environmentId));
        try {
            return query.get(readWait.toMillis(), TimeUnit.MILLISECONDS).stream().findFirst();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DataAccessException dataAccess) {
                throw dataAccess;
            }
            throw new DataAccessResourceFailureException("credential read failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            query.cancel(true);
            throw new DataAccessResourceFailureException("interrupted while reading a credential");
        }
    }

    private List<SealedCredential> query(long environmentId) {
        return jdbc.query("select appid, secret_envelope from credential where environment_id = ?",
                (rs, n) -> new SealedCredential(rs.getString("appid"), rs.getBytes("secret_envelope")), environmentId);
    }

    @Override
    public void destroy() {
        readers.shutdownNow();
    }
}
