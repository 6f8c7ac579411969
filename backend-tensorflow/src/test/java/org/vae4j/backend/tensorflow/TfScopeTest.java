package org.vae4j.backend.tensorflow;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ScopeChecks;

/** The conformance kit's scope checks on the TensorFlow backend. */
class TfScopeTest extends ScopeChecks {
    @Override
    protected Backend backend() {
        return Backends.get("tensorflow");
    }
}
