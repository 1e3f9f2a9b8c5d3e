package dev.tokencenter.security;

/** Where failed logins are counted. Blocking: called on bounded-elastic threads, next to the password check. */
interface LoginFailureStore {

    LoginFailureCounts read(String usernameKey, String addressKey);

    void failed(String usernameKey, String addressKey);

    void succeeded(String usernameKey);
}
