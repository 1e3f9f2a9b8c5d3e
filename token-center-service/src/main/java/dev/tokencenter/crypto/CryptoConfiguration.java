package dev.tokencenter.crypto;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

    @Bean
    MasterKeyRing masterKeyRing(CryptoProperties properties) {
        if (StringUtils.hasText(properties.masterKeys())) {
            return MasterKeyRing.parse(properties.masterKeys());
        }
        try {
            return MasterKeyRing.parse(Files.readString(Path.of(properties.masterKeysFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file named by token-center.crypto.master-keys-file", e);
        }
    }

    @Bean
    KeyedHashes keyedHashes(MasterKeyRing ring) {
        return new KeyedHashes(ring);
    }

    @Bean
    EnvelopeCipher envelopeCipher(MasterKeyRing ring) {
        return new EnvelopeCipher(ring);
    }
}
