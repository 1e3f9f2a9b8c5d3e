/**
 * Mini program login services: sessions whose session_key never leaves the center, encryptedData decryption, login
 * state checks, logout and phone numbers, all through WeChat calls made with the center's AppSecret and tokens.
 */
package dev.tokencenter.miniprogram;
