package dev.tokencenter.client;

/** Access to one app and environment of the client's tenant; {@code *} stands for every app or every environment. */
public record ClientGrant(String app, String env) {

    public static final String ANY = "*";
}
