/**
 * The security filter chains: admin API and UI (HTTP Basic, session login with CSRF, roles), the token API (bearer
 * client keys) and the actuator on the management port only; deny by default.
 */
package dev.tokencenter.security;
