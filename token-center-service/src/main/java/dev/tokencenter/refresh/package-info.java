/**
 * The refresh engine: one valid access token per upstream credential across the cluster, refreshed under a
 * per-credential lock, stored sealed in Redis and PostgreSQL, announced to every instance; the refresh status API.
 */
package dev.tokencenter.refresh;
