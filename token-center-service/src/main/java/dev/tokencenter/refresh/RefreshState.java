package dev.tokencenter.refresh;

/** The refresh state of a credential, as shown by the status API. */
public enum RefreshState {
    /** A token is held and the next refresh is scheduled. */
    OK,
    /** A refresh is under way; the previous token is still served. */
    REFRESHING,
    /** The last call failed with a retryable error; the next attempt is scheduled with backoff. */
    RETRYING,
    /** A non-retryable error: no automatic calls until an admin changes the credential or asks for a retry. */
    STOPPED,
    /** The daily quota is used up (or the quota guard tripped): no automatic calls until the next quota day. */
    PAUSED,
    /** No token has been obtained yet. */
    NO_TOKEN
}
