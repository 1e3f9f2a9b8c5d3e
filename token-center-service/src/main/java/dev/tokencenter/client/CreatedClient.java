package dev.tokencenter.client;

/** A new client and its key. The key is shown this once; only its hash is stored. */
public record CreatedClient(String clientId, String key) {

    @Override
    public String toString() {
        return "CreatedClient[" + clientId + "]";
    }
}
