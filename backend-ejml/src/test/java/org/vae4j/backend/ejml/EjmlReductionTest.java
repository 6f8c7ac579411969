package org.vae4j.backend.ejml;

import org.vae4j.tensor.Backend;
import org.vae4j.tensor.Backends;
import org.vae4j.testkit.ReductionChecks;

/** The conformance kit's {@link ReductionChecks} on EJML. */
class EjmlReductionTest extends ReductionChecks {
    @Override
    protected Backend backend() {
        return Backends.get("ejml");
    }
}
