package dev.tokencenter.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The master key ring: {@code masterKeys} like {@code k2:<base64 32 bytes>,k1:<base64 32 bytes>}, the first one active,
 * or {@code masterKeysFile}, a file holding the same text.
 */
@ConfigurationProperties("token-center.crypto")
public record CryptoProperties(String masterKeys, String masterKeysFile) {
}
