package dev.tokencenter.jssdk;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks the page URL a signature is asked for: an absolute http(s) URL of bounded length. Never alters it. */
final class PageUrl {

    static final int MAX_LENGTH = 4096;

    private PageUrl() {
    }

    /** Why the URL cannot be signed, or null when it can. */
    static String problem(String url) {
        if (url == null || url.isEmpty()) {
            return "is required";
        }
        if (url.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        String signed = JssdkSignature.signedUrl(url);
        for (int i = 0; i < signed.length(); i++) {
            char c = signed.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return "must not contain spaces or control characters";
            }
        }
        URI uri;
        try {
            uri = new URI(signed);
        } catch (URISyntaxException e) {
            return "must be an absolute http or https URL (the page's location.href)";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            return "must be an absolute http or https URL (the page's location.href)";
        }
        return null;
    }
}
