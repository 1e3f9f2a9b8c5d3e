package dev.tokencenter.client;

/** Published (as a Spring application event, after commit) when an API client is created, changed or revoked. */
public record ApiClientChangedEvent(String clientId, String tenant, boolean revoked) {
}
