package dev.tokenbench;

import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shared refresh statuses of the benchmark's upstream credentials, read from Redis in MGET batches. */
record StatusSnapshot(Map<Long, Entry> byUpstreamId) {

    /** What the benchmark needs from one status. */
    record Entry(long sequence, Instant obtainedAt, Instant nextRefreshAt, String state) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static StatusSnapshot read(RedissonClient redis, List<Long> upstreamIds) {
        Map<Long, Entry> entries = new HashMap<>();
        for (int from = 0; from < upstreamIds.size(); from += 1000) {
            List<Long> chunk = upstreamIds.subList(from, Math.min(upstreamIds.size(), from + 1000));
            Map<String, String> found = redis.getBuckets(StringCodec.INSTANCE)
                    .get(chunk.stream().map(id -> "token-center:status:" + id).toArray(String[]::new));
            found.forEach((key, json) -> {
                JsonNode node = JSON.readTree(json);
                entries.put(Long.parseLong(key.substring(key.lastIndexOf(':') + 1)), new Entry(
                        node.path("sequence").asLong(), instant(node.get("obtainedAt")),
                        instant(node.get("nextRefreshAt")), node.path("state").asText()));
            });
        }
        return new StatusSnapshot(entries);
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            BigDecimal seconds = node.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return Instant.parse(node.asText());
    }
}
