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
     * A client reports that WeChat rejected {@code rejectedToken}: refreshed only if it is still the current token and
     * WeChat confirms that it fails (rate-limited per credential). Answers a newer token, or the reported one when
     * WeChat still accepts it; never the reported token otherwise ({@link TokenUnavailableException} instead).
     */
    Mono<ReportAnswer> reportRejected(CredentialKey credential, String rejectedToken);
}
