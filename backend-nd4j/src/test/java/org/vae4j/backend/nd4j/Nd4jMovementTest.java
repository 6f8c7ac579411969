package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MovementChecks;

/** Runs {@link MovementChecks} on the ND4J backend. */
class Nd4jMovementTest extends MovementChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
