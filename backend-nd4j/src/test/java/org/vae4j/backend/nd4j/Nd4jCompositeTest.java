package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.CompositeChecks;

/** Runs {@link CompositeChecks} on the ND4J backend. */
class Nd4jCompositeTest extends CompositeChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
