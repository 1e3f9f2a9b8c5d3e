package dev.tokencenter.compat;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The "rid" WeChat appends to its error messages, e.g. {@code 6552e3da-6397437b-3f0d4f01}. */
final class RequestIds {

    private RequestIds() {
    }

    static String rid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextInt()) + "-" + hex.toHexDigits(random.nextInt()) + "-"
                + hex.toHexDigits(random.nextInt());
    }
}
