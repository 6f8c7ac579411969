package org.vae4j.backend.nd4j;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ConvChecks;

/** Runs {@link ConvChecks} on the ND4J backend: conv2d, conv2d_bp and ND4J's pooling ops. */
class Nd4jConvTest extends ConvChecks {

    @Override
    protected Backend backend() {
        return Backends.get("nd4j");
    }
}
