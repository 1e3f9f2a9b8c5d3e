package dev.tokencenter.crypto;

/** A sealed value that cannot be opened; the message names the row (its binding), never any key or plaintext. */
public class SealedValueException extends RuntimeException {

    private final String binding;

    public SealedValueException(String binding, String problem, Throwable cause) {
        super("sealed value " + binding + " " + problem, cause);
        this.binding = binding;
    }

    public String binding() {
        return binding;
    }
}
