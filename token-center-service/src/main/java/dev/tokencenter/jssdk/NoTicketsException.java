package dev.tokencenter.jssdk;

import dev.tokencenter.refresh.CatalogEntry;

/** The credential's platform has no JS-SDK (mini programs). */
final class NoTicketsException extends RuntimeException {

    NoTicketsException(CatalogEntry entry) {
        super(entry.key() + " is a " + entry.platform() + " credential: the JS-SDK needs an official account or a WeCom app",
                null, false, false);
    }
}
