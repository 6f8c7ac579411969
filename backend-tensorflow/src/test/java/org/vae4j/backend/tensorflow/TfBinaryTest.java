package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.BinaryChecks;

/** The conformance kit's binary checks on the TensorFlow backend. */
class TfBinaryTest extends BinaryChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
