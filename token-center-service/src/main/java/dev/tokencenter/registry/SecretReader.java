package dev.tokencenter.registry;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The read side of credential secrets for code that must use one (the refresh engine, which may equally read the
 * tables with JDBC itself and open the envelope with binding {@code credential:<environment_id>:secret}).
 * Blocking (JDBC). A row that cannot be opened throws {@link dev.tokencenter.crypto.SealedValueException} naming
 * the row, never returns an empty secret.
 */
@Component
public class SecretReader {

    private final JdbcTemplate jdbc;
    private final SecretCipher sealer;

    SecretReader(JdbcTemplate jdbc, SecretCipher sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    public String secretOf(long environmentId) {
        List<byte[]> envelopes = jdbc.query("select secret_envelope from credential where environment_id = ?",
                (row, i) -> row.getBytes(1), environmentId);
        if (envelopes.isEmpty()) {
            throw new IllegalArgumentException("no credential for environment " + environmentId);
        }
        return sealer.open(environmentId, envelopes.get(0));
    }

    public String secretOf(CredentialKey key) {
        List<Long> ids = jdbc.queryForList("""
                select e.id from environment e join app a on a.id = e.app_id
                 where a.tenant_id = ? and a.slug = ? and e.name = ?""", Long.class, key.tenant(), key.app(), key.env());
        if (ids.isEmpty()) {
            throw new CredentialNotFoundException(key);
        }
        return secretOf(ids.get(0));
    }
}
