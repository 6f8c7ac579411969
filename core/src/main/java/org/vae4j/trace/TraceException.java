package org.vae4j.trace;

/** A model does something a traced graph cannot express; the message names the op and the model. */
public final class TraceException extends RuntimeException {

    public TraceException(String message) {
        super(message);
    }
}
