package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ReductionChecks;

/** Runs {@link ReductionChecks} on the ND4J backend. */
class Nd4jReductionTest extends ReductionChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
