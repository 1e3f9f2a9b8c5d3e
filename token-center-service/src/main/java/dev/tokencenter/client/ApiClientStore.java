package dev.tokencenter.client;

import java.util.Optional;
import java.util.Set;

/** Where active API clients and their grants are read from (blocking: call it on boundedElastic). */
interface ApiClientStore {

    /** The client with this id if it exists and is not revoked, with its key hash and grants. */
    Optional<ClientPrincipal> findActive(String clientId);

    /** The ids of every client that is not revoked. */
    Set<String> activeIds();
}
