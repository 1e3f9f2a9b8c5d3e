/**
 * The Redisson client, configured from {@code token-center.redis.*}, with bounded command timeouts.
 */
package dev.tokencenter.redis;
