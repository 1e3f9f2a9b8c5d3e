package dev.tokencenter.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves every sealed row (credential secrets, stored tokens) to the active master key: reads a small batch of rows
 * sealed with another key, authenticates each value (so a tampered row is reported now), re-wraps its data key (the
 * value's ciphertext is unchanged) and writes it back only if the row still holds what was read. No lock on the
 * tables, so serving and refreshing go on meanwhile; a row a refresh rewrote in between is already sealed with the
 * active key. Rows that cannot be opened are reported by name and left as they are. Safe to run on several instances
 * at once. Blocking (JDBC).
 */
@Service
public class MasterKeyRewrap {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRewrap.class);

    private final JdbcTemplate jdbc;
    private final EnvelopeCipher cipher;
    private final RewrapProperties properties;
    private final ReentrantLock running = new ReentrantLock();

    MasterKeyRewrap(JdbcTemplate jdbc, EnvelopeCipher cipher, RewrapProperties properties) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.properties = properties;
    }

    public RewrapReport rewrapAll() {
        running.lock();
        try {
            String active = cipher.ring().activeKeyId();
            List<RewrapReport.Failure> failures = new ArrayList<>();
            int credentials = pass(SealedRows.CREDENTIAL_SECRETS, active, failures);
            int tokens = pass(SealedRows.TOKENS, active, failures);
            RewrapReport report = new RewrapReport(active, credentials, tokens, List.copyOf(failures), remaining(active));
            if (credentials + tokens > 0) {
                log.info("Re-wrapped {} credential envelopes and {} token envelopes to master key '{}'", credentials, tokens, active);
            }
            return report;
        } finally {
            running.unlock();
        }
    }

    /** Rows per table and key id not sealed with the active key. */
    public Map<String, Map<String, Long>> remaining(String activeKeyId) {
        Map<String, Map<String, Long>> remaining = new LinkedHashMap<>();
        for (SealedRows rows : SealedRows.values()) {
            Map<String, Long> byKey = new LinkedHashMap<>();
            rows.remaining(jdbc, activeKeyId).forEach(r -> byKey.put((String) r[0], (Long) r[1]));
            remaining.put(rows.table, byKey);
        }
        return remaining;
    }

    private int pass(SealedRows rows, String active, List<RewrapReport.Failure> failures) {
        int moved = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<SealedRows.Row> batch = rows.next(jdbc, active, after, properties.batchSize());
            if (batch.isEmpty()) {
                return moved;
            }
            for (SealedRows.Row row : batch) {
                String binding = rows.binding(row.id());
                try {
                    Envelope envelope = Envelope.fromBytes(row.envelope());
                    cipher.open(envelope, binding); // authenticates the value too, so a tampered row is reported now
                    Envelope rewrapped = cipher.rewrap(envelope, binding);
                    if (rows.replace(jdbc, row, rewrapped)) {
                        moved++;
                    }
                } catch (SealedValueException | IllegalArgumentException e) {
                    String name = rows.table + " row of " + row.name() + " (" + binding + ")";
                    String problem = e instanceof SealedValueException sealed ? sealed.getMessage() : "malformed envelope";
                    log.warn("Cannot re-wrap {}: {}", name, problem);
                    failures.add(new RewrapReport.Failure(name, problem));
                }
                after = row.id();
            }
        }
    }
}
