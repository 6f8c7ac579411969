package org.vae4j.train;

import java.io.IOException;

/**
 * A checkpoint that is readable but does not fit what it is loaded into: another model type,
 * parameters of other names or shapes, another optimizer, another seed or batch size. The
 * message names the file and both sides of the mismatch.
 */
public final class CheckpointException extends IOException {

    public CheckpointException(String message) {
        super(message);
    }
}
