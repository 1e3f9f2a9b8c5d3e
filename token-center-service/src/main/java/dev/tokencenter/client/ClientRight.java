package dev.tokencenter.client;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A kind of call a grant allows on its app/environment; written in lower case in the admin API. */
public enum ClientRight {

    /** Read access tokens (token API and WeChat-compatible endpoints). The only right of grants made before rights. */
    TOKEN("token"),
    /** Log mini program users in and use their sessions: create, decrypt, check, forget. */
    SESSION("session"),
    /** Exchange phone-number codes for phone numbers. */
    PHONE_NUMBER("phone-number"),
    /** Read JS-SDK tickets and have JS-SDK signatures computed. */
    JSSDK("jssdk");

    private final String wireName;

    ClientRight(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    int bit() {
        return 1 << ordinal();
    }

    public static Optional<ClientRight> fromWireName(String name) {
        return Arrays.stream(values()).filter(right -> right.wireName.equals(name)).findFirst();
    }

    /** The wire names in declaration order, e.g. for messages and docs. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(ClientRight::wireName).toList();
    }
}
