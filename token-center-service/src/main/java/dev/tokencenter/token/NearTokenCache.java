package dev.tokencenter.token;

import dev.tokencenter.refresh.CurrentToken;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's decrypted tokens by upstream credential id. A token only ever replaces one with a lower sequence, so a
 * late or repeated "token changed" message cannot bring an older token back. Readers that found no usable token
 * wait on {@link #next(long)}, completed by the next newer token.
 */
final class NearTokenCache {

    private final ConcurrentHashMap<Long, CurrentToken> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<CurrentToken>> waiters = new ConcurrentHashMap<>();

    CurrentToken get(long upstreamId) {
        return tokens.get(upstreamId);
    }

    /** Keeps the token if it is newer than the cached one; returns whether it did. */
    boolean offer(CurrentToken token) {
        CurrentToken kept = tokens.merge(token.upstreamId(), token,
                (cached, offered) -> offered.sequence() > cached.sequence() ? offered : cached);
        if (kept != token) {
            return false;
        }
        CompletableFuture<CurrentToken> waiting = waiters.remove(token.upstreamId());
        if (waiting != null) {
            waiting.complete(token);
        }
        return true;
    }

    /** Completes with the next token this cache takes for the credential (shared by all waiters). */
    CompletableFuture<CurrentToken> next(long upstreamId) {
        return waiters.computeIfAbsent(upstreamId, id -> new CompletableFuture<>());
    }

    /** Drops the tokens of every other credential (deleted or disabled ones), so no decrypted token outlives its use. */
    void retainOnly(Set<Long> upstreamIds) {
        tokens.keySet().retainAll(upstreamIds);
    }
}
