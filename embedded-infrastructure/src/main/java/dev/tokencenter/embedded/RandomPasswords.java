package dev.tokencenter.embedded;

import java.security.SecureRandom;
import java.util.HexFormat;

final class RandomPasswords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPasswords() {
    }

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
