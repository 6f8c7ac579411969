package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MemorySoakChecks;

/** The conformance kit's memory soak checks on the TensorFlow backend. */
class TfMemorySoakTest extends MemorySoakChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
