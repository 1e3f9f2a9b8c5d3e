/**
 * Tenants, apps, environments and their credentials (secrets sealed at rest): what admins manage and the refresh engine
 * reads. Publishes {@link dev.tokencenter.registry.CredentialChangedEvent} after every committed change.
 */
package dev.tokencenter.registry;
