package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ReductionChecks;

/** The conformance kit's reduction checks on the TensorFlow backend. */
class TfReductionTest extends ReductionChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
