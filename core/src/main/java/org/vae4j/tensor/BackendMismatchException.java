package org.vae4j.tensor;

/** A tensor of one backend was passed to another. */
public class BackendMismatchException extends IllegalArgumentException {
    public BackendMismatchException(String message) {
        super(message);
    }
}
