package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MatmulChecks;

/** The conformance kit's matmul checks on the TensorFlow backend. */
class TfMatmulTest extends MatmulChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
