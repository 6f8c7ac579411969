package org.vae4j.tensor;

/** A value that must be finite is NaN or infinite; the message names it. */
public class NonFiniteException extends ArithmeticException {
    public NonFiniteException(String message) {
        super(message);
    }
}
