/**
 * Admin users and the admin API ({@code /admin/api}) that the admin UI uses: tenants, apps, environments, API clients,
 * master keys, refresh status and the audit trail. Controllers only: the work is done by the services of the other
 * modules.
 */
package dev.tokencenter.admin;
