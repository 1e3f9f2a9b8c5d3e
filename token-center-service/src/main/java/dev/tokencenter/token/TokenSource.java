package dev.tokencenter.token;

import dev.tokencenter.registry.CredentialKey;
import dev.tokencenter.registry.CredentialNotFoundException;
import reactor.core.publisher.Mono;

/**
 * Where the token API gets tokens: implemented by the refresh engine. Never blocks the calling thread.
 * Errors: {@link CredentialNotFoundException} (no such tenant/app/env), {@link TokenUnavailableException}
 * (disabled or stopped credential with no usable token, or a first fetch that failed).
 */
public interface TokenSource {

    /** The current token, with more than the minimum lifetime left; a first use triggers one coalesced fetch. */
    Mono<IssuedToken> current(CredentialKey credential);

    /**
     * The token {@link #current(CredentialKey)} would answer at once, when this instance holds it in memory and may
     * serve it right now, with no I/O and without blocking; null whenever {@code current} would have to look further,
     * wait or fail. For the fast paths that answer warm reads on the event loop.
     */
    IssuedToken usableFromMemory(CredentialKey credential);

    /**
     * A client reports that WeChat rejected {@code rejectedToken}: refreshed only if it is still the current token and
     * WeChat confirms that it fails (rate-limited per credential). Answers a newer token, or the reported one when
     * WeChat still accepts it; never the reported token otherwise ({@link TokenUnavailableException} instead).
     */
    Mono<ReportAnswer> reportRejected(CredentialKey credential, String rejectedToken);

    /**
     * Whether {@link #reportRejected} of {@code token} now could answer anything but {@code token} itself (or fail),
     * i.e. whether it would check with WeChat; false when its check budget is spent. Never blocks, changes nothing.
     */
    boolean reportCouldReplace(CredentialKey credential, String token);
}
