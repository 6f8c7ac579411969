package org.vae4j.tensor;

/** A backend name that is not on the class path, or not available on this machine. */
public class UnknownBackendException extends IllegalArgumentException {
    public UnknownBackendException(String message) {
        super(message);
    }
}
