/**
 * Metrics and health: the Prometheus meters that read other modules' state (per-credential series written at each
 * scrape, readiness), the request meter of the token API, and the health contributors of the readiness group. Counters
 * of events are recorded by the modules where the events happen.
 */
package dev.tokencenter.monitoring;
