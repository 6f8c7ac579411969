package org.vae4j.tensor;

/** A tensor shape that does not fit an operation; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
