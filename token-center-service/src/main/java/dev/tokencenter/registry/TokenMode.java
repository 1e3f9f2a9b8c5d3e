package dev.tokencenter.registry;

/** How a WeChat access token is fetched: {@code /cgi-bin/stable_token} (default) or the classic {@code /cgi-bin/token}. */
public enum TokenMode { STABLE, CLASSIC }
