/**
 * The master key ring and AES-256-GCM envelope encryption of secrets and tokens, each ciphertext bound to its row;
 * master key rotation.
 */
package dev.tokencenter.crypto;
