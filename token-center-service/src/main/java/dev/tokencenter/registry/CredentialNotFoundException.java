package dev.tokencenter.registry;

public class CredentialNotFoundException extends RuntimeException {

    public CredentialNotFoundException(CredentialKey credential) {
        super("no credential " + credential);
    }
}
