/**
 * The Redisson client, configured from {@code token-center.redis.*}, with bounded command timeouts, and the
 * breaker that lets callers skip Redis while it cannot be reached.
 */
package dev.tokencenter.redis;
