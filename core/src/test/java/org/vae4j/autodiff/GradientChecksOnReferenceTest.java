package org.vae4j.autodiff;

import org.vae4j.tensor.Backend;
import org.vae4j.testkit.GradientChecks;
import org.vae4j.tensor.ReferenceBackend;

/** The gradient checks on the float64 reference backend. */
class GradientChecksOnReferenceTest extends GradientChecks {

    private final Backend backend = new ReferenceBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
