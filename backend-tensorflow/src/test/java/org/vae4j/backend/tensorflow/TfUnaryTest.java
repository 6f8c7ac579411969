package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.UnaryChecks;

/** The conformance kit's unary checks on the TensorFlow backend. */
class TfUnaryTest extends UnaryChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
