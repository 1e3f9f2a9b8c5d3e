/**
 * Start-up checks: the service refuses to start without its required settings and says which are missing.
 */
package dev.tokencenter.config;
