package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.CompositeChecks;

/** The conformance kit's composite checks on the TensorFlow backend. */
class TfCompositeTest extends CompositeChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
