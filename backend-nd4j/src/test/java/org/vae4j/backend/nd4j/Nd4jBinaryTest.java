package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.BinaryChecks;

/** Runs {@link BinaryChecks} on the ND4J backend. */
class Nd4jBinaryTest extends BinaryChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
