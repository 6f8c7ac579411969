package org.vae4j.cli.export;

/**
 * A model the exporter cannot express, or a state dict that does not fit a model: the message
 * names what and where.
 */
public final class ExportException extends RuntimeException {

    public ExportException(String message) {
        super(message);
    }
}
