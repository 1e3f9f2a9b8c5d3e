package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Bindings;
import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a credential's AppID and secret for one upstream call, straight from the registry row (so a rotation applies at once).
 * The last sealed row read is kept in memory, still sealed, so that refreshes go on while PostgreSQL is unreachable.
 */
@Component
class UpstreamCredentials {

    private static final Logger log = LoggerFactory.getLogger(UpstreamCredentials.class);

    private record SealedCredential(String appid, byte[] envelope) {
    }

    private final ConcurrentHashMap<Long, SealedCredential> lastRead = new ConcurrentHashMap<>();

    /** The AppID and plaintext secret of one credential; {@link #toString()} never shows the secret. */
    record OpenCredential(String appid, String secret) {
        @Override
        public String toString() {
            return "OpenCredential[appid=" + appid + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final EnvelopeCipher cipher;

    UpstreamCredentials(JdbcTemplate jdbc, EnvelopeCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** Blocking JDBC. Empty when the credential no longer exists. */
    Optional<OpenCredential> open(long environmentId) {
        SealedCredential sealed;
        try {
            List<SealedCredential> found = jdbc.query("select appid, secret_envelope from credential where environment_id = ?",
                    (rs, n) -> new SealedCredential(rs.getString("appid"), rs.getBytes("secret_envelope")), environmentId);
            if (found.isEmpty()) {
                lastRead.remove(environmentId);
                return Optional.empty();
            }
            sealed = found.get(0);
            lastRead.put(environmentId, sealed);
        } catch (DataAccessException e) {
            sealed = lastRead.get(environmentId);
            if (sealed == null) {
                throw e;
            }
            log.warn("PostgreSQL unreachable ({}): using the sealed secret of environment {} read before",
                    e.getClass().getSimpleName(), environmentId);
        }
        return Optional.of(new OpenCredential(sealed.appid(),
                cipher.open(Envelope.fromBytes(sealed.envelope()), Bindings.credentialSecret(environmentId))));
    }
}
