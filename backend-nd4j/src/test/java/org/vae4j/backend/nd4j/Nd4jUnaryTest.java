package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.UnaryChecks;

/** Runs {@link UnaryChecks} on the ND4J backend. */
class Nd4jUnaryTest extends UnaryChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
