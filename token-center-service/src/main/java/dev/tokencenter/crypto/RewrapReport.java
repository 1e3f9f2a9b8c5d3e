package dev.tokencenter.crypto;

import java.util.List;
import java.util.Map;

/**
 * What one re-wrap pass did. {@code failures} name each row that could not be moved (missing key, tampered or
 * swapped ciphertext); {@code remaining} counts, per table and key id, the rows still sealed with another key.
 */
public record RewrapReport(String activeKeyId, int credentialsRewrapped, int tokensRewrapped, List<Failure> failures,
                           Map<String, Map<String, Long>> remaining) {

    public record Failure(String row, String problem) {
    }

    public boolean complete() {
        return failures.isEmpty() && remaining.values().stream().allMatch(Map::isEmpty);
    }
}
