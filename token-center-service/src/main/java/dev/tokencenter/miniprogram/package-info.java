/**
 * Mini program login services: sessions whose session_key never leaves the center, decryption of user data,
 * login-state checks, logout and phone numbers.
 */
package dev.tokencenter.miniprogram;
