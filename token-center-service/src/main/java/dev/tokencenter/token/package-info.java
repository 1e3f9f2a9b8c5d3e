/**
 * The token API ({@code /v1/tokens/...}): serves tokens to internal services from a near cache kept current by the
 * refresh engine, with a fast path for warm reads that never leaves the event loop.
 */
package dev.tokencenter.token;
