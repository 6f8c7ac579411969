package org.vae4j.io;

import java.io.IOException;

/**
 * A file that is not a valid safetensors file: the message names the file and what is wrong
 * with it (header length, JSON, dtype, offsets, data length).
 */
public final class SafetensorsFormatException extends IOException {

    public SafetensorsFormatException(String message) {
        super(message);
    }
}
