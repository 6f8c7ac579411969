package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.CompositeChecks;

/** The conformance kit's {@link CompositeChecks} on EJML. */
class EjmlCompositeTest extends CompositeChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
