/**
 * Admin users and the admin API ({@code /admin/api}) that the admin UI uses: tenants, apps, environments, API clients,
 * master keys, refresh status and the audit trail, plus the UI's live side: the admin event stream (server-sent
 * events from a Redis stream shared by every instance) and each environment's refresh history. Controllers and the
 * event plumbing only: the work is done by the services of the other modules.
 */
package dev.tokencenter.admin;
