package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.FamilyChecks;

/** The conformance kit's {@link FamilyChecks} on TensorFlow. */
class TfFamilyTest extends FamilyChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
