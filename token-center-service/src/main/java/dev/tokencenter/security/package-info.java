/**
 * The security filter chains: admin API and UI (HTTP Basic, session login with CSRF, roles) and the token API (bearer
 * client keys); deny by default.
 */
package dev.tokencenter.security;
