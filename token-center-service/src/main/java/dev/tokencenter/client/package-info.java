/**
 * API clients: their keys, their grants and per-client limits; authenticates bearer keys for the token API with an
 * in-memory directory kept current by change events.
 */
package dev.tokencenter.client;
