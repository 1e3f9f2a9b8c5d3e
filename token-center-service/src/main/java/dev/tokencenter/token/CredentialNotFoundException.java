package dev.tokencenter.token;

public class CredentialNotFoundException extends RuntimeException {

    public CredentialNotFoundException(CredentialKey credential) {
        super("no credential " + credential);
    }
}
