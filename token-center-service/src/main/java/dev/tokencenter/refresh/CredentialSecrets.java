package dev.tokencenter.refresh;

import dev.tokencenter.crypto.Envelope;
import dev.tokencenter.crypto.EnvelopeCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** Opens a credential's secret for one upstream call, straight from the registry row (so a rotation applies at once). */
@Component("refreshCredentialSecrets")
class CredentialSecrets {

    /** The AppID and plaintext secret of one credential; {@link #toString()} never shows the secret. */
    record OpenCredential(String appid, String secret) {
        @Override
        public String toString() {
            return "OpenCredential[appid=" + appid + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final EnvelopeCipher cipher;

    CredentialSecrets(JdbcTemplate jdbc, EnvelopeCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** Blocking JDBC. Empty when the credential no longer exists. */
    Optional<OpenCredential> open(long environmentId) {
        List<OpenCredential> found = jdbc.query("select appid, secret_envelope from credential where environment_id = ?",
                (rs, n) -> new OpenCredential(rs.getString("appid"), cipher.open(
                        Envelope.fromBytes(rs.getBytes("secret_envelope")), "credential:" + environmentId + ":secret")),
                environmentId);
        return found.stream().findFirst();
    }
}
