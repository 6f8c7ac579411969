package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.MovementChecks;

/** The conformance kit's movement checks on the TensorFlow backend. */
class TfMovementTest extends MovementChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
