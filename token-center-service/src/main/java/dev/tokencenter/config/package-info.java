/**
 * Start-up checks: the service refuses to start without its required settings and says which are missing, and waits
 * with backoff for PostgreSQL and Redis to accept connections before it starts.
 */
package dev.tokencenter.config;
