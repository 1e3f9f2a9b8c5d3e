package dev.tokencenter.web;

/** The request conflicts with the current state: a duplicate, or a state that forbids it (409). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
