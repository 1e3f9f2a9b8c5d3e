package dev.tokencenter.refresh;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers upstream credentials ({@code upstream_credential}): a key seen for the first time gets a row, so every
 * instance agrees on the id that names the credential's lock, fence, quota counters, stored token and binding.
 * Rows are never deleted (an id stays the name of its key); the token state of a key nobody names any more is.
 * Blocking JDBC, called from catalog loads.
 */
@Component
class UpstreamCredentialIds {

    private final JdbcTemplate jdbc;
    private final Map<String, Long> known = new ConcurrentHashMap<>();

    UpstreamCredentialIds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The ids of {@code keys}, creating rows for new ones. */
    Map<String, Long> idsOf(Collection<String> keys) {
        List<String> unknown = keys.stream().filter(key -> !known.containsKey(key)).distinct().toList();
        if (!unknown.isEmpty()) {
            String[] array = unknown.toArray(String[]::new);
            jdbc.update("""
                    insert into upstream_credential (upstream_key) select unnest(?::varchar[])
                    on conflict (upstream_key) do nothing
                    """, (Object) array);
            jdbc.query("select id, upstream_key from upstream_credential where upstream_key = any(?::varchar[])",
                    rs -> {
                        known.put(rs.getString(2), rs.getLong(1));
                    }, (Object) array);
        }
        Map<String, Long> ids = new HashMap<>();
        keys.forEach(key -> ids.put(key, known.get(key)));
        return ids;
    }
}
